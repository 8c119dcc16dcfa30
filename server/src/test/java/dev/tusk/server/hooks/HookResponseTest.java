package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookResponseTest {

  private static HookResponse parse(String json) {
    return HookResponse.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tusdDocumentedResponse_parses() {
    HookResponse r = parse("""
        {"HTTPResponse": {"StatusCode": 400, "Body": "{\\"message\\":\\"too big\\"}",
                          "Header": {"Content-Type": "application/json"}},
         "RejectUpload": true, "RejectTermination": false,
         "ChangeFileInfo": {"ID": "my-custom-upload-id", "MetaData": {"k": "v"},
                            "Storage": {"Path": "./x"}},
         "StopUpload": true, "SomethingNew": 1}
        """);
    assertThat(r.httpResponse()).get().satisfies(h -> {
      assertThat(h.statusCode()).isEqualTo(400);
      assertThat(h.body()).isEqualTo("{\"message\":\"too big\"}");
      assertThat(h.header()).containsEntry("Content-Type", "application/json");
    });
    assertThat(r.rejectUpload()).isTrue();
    assertThat(r.rejectTermination()).isFalse();
    assertThat(r.stopUpload()).isTrue();
    assertThat(r.changeId()).contains("my-custom-upload-id");
    assertThat(r.changeMetadata()).contains(Map.of("k", "v"));
  }

  @Test
  void fieldNames_matchCaseInsensitivelyLikeGo() {
    HookResponse r = parse("{\"rejectUpload\": true, \"httpResponse\": {\"statusCode\": 413}}");
    assertThat(r.rejectUpload()).isTrue();
    assertThat(r.httpResponse().get().statusCode()).isEqualTo(413);
  }

  @Test
  void blankBody_isEmptyResponse() {
    assertThat(parse("  \n")).isEqualTo(HookResponse.EMPTY);
    assertThat(parse("{}").rejectUpload()).isFalse();
  }

  @Test
  void processingStatus_objectOrString() {
    assertThat(parse("{\"ProcessingStatus\": {\"Status\": \"rejected\", \"Reason\": \"EICAR\"}}")
            .processingStatus())
        .contains(new HookResponse.StatusChange(ProcessingStatus.REJECTED, "EICAR"));
    assertThat(parse("{\"ProcessingStatus\": \"processing\"}").processingStatus().get().status())
        .isEqualTo(ProcessingStatus.PROCESSING);
  }

  @Test
  void malformed_isRejected() {
    assertThatThrownBy(() -> parse("not json")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("[1]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("{\"RejectUpload\": \"yes\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("{\"ProcessingStatus\": {\"Status\": \"maybe\"}}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepOrExpiresAt_parseCaseInsensitively() {
    assertThat(parse("{\"Keep\": true}").expiry()).contains(dev.tusk.server.protocol.ExpiryChange.KEEP);
    assertThat(parse("{\"expiresat\": \"2030-01-01T00:00:00Z\"}").expiry().orElseThrow().expiresAt())
        .contains(java.time.Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(parse("{}").expiry()).isEmpty();
  }

  @Test
  void badKeepOrExpiresAt_isABadAnswer() {
    for (String body : new String[] {
        "{\"Keep\": false}", "{\"ExpiresAt\": \"soon\"}", "{\"Keep\": true, \"ExpiresAt\": \"2030-01-01T00:00:00Z\"}"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(body))
          .as(body).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
