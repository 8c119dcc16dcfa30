package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Reply;
import dev.tusk.server.hooks.HookType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Blocking hooks reject with the receiver's own status, headers and body. */
class RejectionIT {
  @RegisterExtension
  final HookedTusk tusk = HookedTusk.withReceiver(c -> c.withEnabled(EnumSet.allOf(HookType.class))
      .withAccessCacheTtl(Duration.ofSeconds(30)));

  @Test
  @DisplayName("pre-create RejectUpload with HTTPResponse 413: the client gets 413 with the body and headers as sent")
  void preCreate_rejectionKeepsStatusBodyAndHeaders() throws Exception {
    tusk.receiver().answer(h -> h.type().equals("pre-create")
        ? Reply.json("""
            {"RejectUpload": true, "HTTPResponse": {"StatusCode": 413,
             "Body": "{\\"message\\":\\"quota exceeded\\"}",
             "Header": {"Content-Type": "application/json", "X-Quota-Left": "0"}}}""")
        : Reply.OK);
    Response r = tusk.tus().header("Upload-Length", 100).post("/files/");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.asString()).isEqualTo("{\"message\":\"quota exceeded\"}");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("X-Quota-Left")).isEqualTo("0");
    assertThat(r.header("Location")).isNull();
    assertThat(tusk.receiver().hooks("post-create")).isEmpty();
  }

  @Test
  @DisplayName("A rejection's header whose value is not printable ASCII is dropped; the others are sent")
  void rejection_headerWithControlOrWideCharacters_isDropped() {
    // U+010D U+010A: CR LF to a writer that keeps the low byte of each char
    tusk.receiver().answer(h -> h.type().equals("pre-create")
        ? Reply.json("""
            {"RejectUpload": true, "HTTPResponse": {"StatusCode": 403, "Header": {
             "X-Quota-Left": "0", "X-Control": "a\\u0001b",
             "X-Wide": "a\\u010d\\u010aX-Injected: yes"}}}""")
        : Reply.OK);
    Response r = tusk.tus().header("Upload-Length", 100).post("/files/");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.header("X-Quota-Left")).isEqualTo("0");
    assertThat(r.header("X-Control")).isNull();
    assertThat(r.header("X-Wide")).isNull();
    assertThat(r.header("X-Injected")).isNull();
  }

  @Test
  @DisplayName("pre-create RejectUpload without HTTPResponse: 400 ERR_UPLOAD_REJECTED, as tusd")
  void preCreate_plainRejectionIsTusdsError() {
    tusk.receiver().answer(h -> h.type().equals("pre-create") ? Reply.json("{\"RejectUpload\":true}") : Reply.OK);
    Response r = tusk.tus().header("Upload-Length", 100).post("/files/");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_UPLOAD_REJECTED");
  }

  @Test
  @DisplayName("pre-access denies one client and allows another; answers are cached per credential")
  void preAccess_deniesOneClientAllowsAnother() throws Exception {
    tusk.receiver().answer(h -> {
      if (!h.type().equals("pre-access")) {
        return Reply.OK;
      }
      String auth = h.request().path("Header").path("Authorization").path(0).asText();
      return auth.equals("Bearer alice") ? Reply.OK : Reply.json("""
          {"RejectAccess": true, "HTTPResponse": {"StatusCode": 401, "Body": "who are you?"}}""");
    });
    String path = tusk.create(6);
    byte[] chunk = "abc".getBytes(StandardCharsets.US_ASCII);

    Response mallory = tusk.patch(path, 0, chunk);
    Response malloryViaSpec = tusk.tus().header("Authorization", "Bearer mallory")
        .contentType("application/offset+octet-stream").header("Upload-Offset", 0).body(chunk).patch(path);
    assertThat(mallory.statusCode()).as("no credential").isEqualTo(401);
    assertThat(malloryViaSpec.statusCode()).isEqualTo(401);
    assertThat(malloryViaSpec.asString()).isEqualTo("who are you?");
    assertThat(tusk.tus().header("Authorization", "Bearer mallory").head(path).statusCode()).isEqualTo(401);

    for (int offset = 0; offset < 6; offset += 3) {
      Response alice = tusk.tus().header("Authorization", "Bearer alice")
          .contentType("application/offset+octet-stream").header("Upload-Offset", offset).body(chunk)
          .patch(path);
      assertThat(alice.statusCode()).as(alice.asString()).isEqualTo(204);
    }
    long aliceCalls = tusk.receiver().hooks("pre-access").stream().filter(h -> h.request().path("Header")
        .path("Authorization").path(0).asText().equals("Bearer alice")).count();
    assertThat(aliceCalls).as("two PATCHes, one pre-access (cached)").isEqualTo(1);

    tusk.clock().advance(Duration.ofSeconds(31));
    assertThat(tusk.tus().header("Authorization", "Bearer alice").get(path).statusCode()).isEqualTo(200);
    assertThat(tusk.tus().header("Authorization", "Bearer mallory").get(path).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("pre-terminate RejectTermination keeps the upload; pre-finish with an error status rejects the last PATCH")
  void preTerminateAndPreFinish_reject() throws Exception {
    tusk.receiver().answer(h -> switch (h.type()) {
      case "pre-terminate" -> Reply.json("{\"RejectTermination\": true}");
      case "pre-finish" -> Reply.json("{\"HTTPResponse\": {\"StatusCode\": 422, \"Body\": \"not a PDF\"}}");
      default -> Reply.OK;
    });
    String path = tusk.create(3);
    Response last = tusk.patch(path, 0, "abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(last.statusCode()).isEqualTo(422);
    assertThat(last.asString()).isEqualTo("not a PDF");
    assertThat(tusk.tus().head(path).header("Upload-Offset")).as("the bytes stay").isEqualTo("3");

    Response delete = tusk.tus().delete(path);
    assertThat(delete.statusCode()).isEqualTo(400);
    assertThat(delete.jsonPath().getString("code")).isEqualTo("ERR_UPLOAD_TERMINATION_REJECTED");
    assertThat(tusk.tus().head(path).statusCode()).isEqualTo(200);
    assertThat(tusk.receiver().hooks("post-terminate")).isEmpty();
    tusk.receiver().await(type("pre-terminate"));
  }
}
