package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpiryChangeTest {
  static final Instant CREATED = Instant.parse("2026-11-23T10:00:00Z");
  static final Instant NOW = CREATED.plusSeconds(60);
  static final Duration MAX = Duration.ofDays(7);
  static final UploadInfo INFO =
      UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), CREATED, CREATED.plusSeconds(3600));

  private static ExpiryChange parse(String body) {
    return ExpiryChange.parse("application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_keepOrInstant() {
    assertThat(parse("{\"keep\": true}")).isEqualTo(ExpiryChange.KEEP);
    assertThat(parse("{\"expiresAt\": \"2026-11-24T10:00:00Z\"}").expiresAt())
        .contains(Instant.parse("2026-11-24T10:00:00Z"));
    assertThat(parse("{\"expiresAt\": \"2026-11-24T12:00:00+02:00\"}").expiresAt())
        .contains(Instant.parse("2026-11-24T10:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "x|not JSON",
    "{\"keep\": true} {}|not JSON",
    "{\"keep\": true, \"keep\": true}|not JSON",
    "[]|JSON object",
    "{}|give expiresAt",
    "{\"keep\": null}|give expiresAt",
    "{\"keep\": true, \"expiresAt\": \"2026-11-24T10:00:00Z\"}|not both",
    "{\"ttl\": 5}|unknown field 'ttl'",
    "{\"keep\": false}|keep must be true",
    "{\"keep\": 1}|keep must be true",
    "{\"expiresAt\": 5}|ISO-8601",
    "{\"expiresAt\": \"2026-11-24\"}|ISO-8601",
  })
  void parse_badBody_is400NamingIt(String body, String detail) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_BODY);
          assertThat(e.detail()).contains(detail);
        });
  }

  @Test
  void parse_notJsonContentType_is415() {
    for (String type : new String[] {null, "text/plain", "application/offset+octet-stream"}) {
      assertThatThrownBy(() -> ExpiryChange.parse(type, "{\"keep\": true}".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOfSatisfying(TusException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONTENT_TYPE));
    }
  }

  @Test
  void fromFields_readsOnlyTheTwoFields() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(ExpiryChange.fromFields(json.readTree("{\"other\": 1}"))).isEmpty();
    assertThat(ExpiryChange.fromFields(json.readTree("{\"other\": 1, \"keep\": true}"))).contains(ExpiryChange.KEEP);
    assertThatThrownBy(() -> ExpiryChange.fromFields(json.readTree("{\"keep\": false}")))
        .isInstanceOf(TusException.class);
  }

  @Test
  void resolve_rules() {
    Instant inWeek = CREATED.plus(MAX);
    assertThat(new ExpiryChange(Optional.of(inWeek)).resolve(INFO, NOW, MAX, false)).contains(inWeek);
    assertThat(ExpiryChange.KEEP.resolve(INFO, NOW, MAX, true)).isEmpty();
    assertThat(ExpiryChange.KEEP.resolve(INFO, NOW, Ttl.NEVER, false)).isEmpty();
    Instant beyond = inWeek.plusSeconds(1);
    assertThat(new ExpiryChange(Optional.of(beyond)).resolve(INFO, NOW, MAX, true)).contains(beyond);
    assertThat(new ExpiryChange(Optional.of(beyond)).resolve(INFO, NOW, Ttl.NEVER, false)).contains(beyond);
  }

  @Test
  void resolve_brokenRule_isInvalidTtl() {
    assertInvalid(() -> ExpiryChange.KEEP.resolve(INFO, NOW, MAX, false), "admin");
    assertInvalid(() -> new ExpiryChange(Optional.of(NOW)).resolve(INFO, NOW, MAX, true), "not in the future");
    assertInvalid(() -> new ExpiryChange(Optional.of(CREATED.plus(MAX).plusSeconds(1))).resolve(INFO, NOW, MAX, false),
        "beyond max-ttl");
    assertInvalid(() -> new ExpiryChange(Optional.of(NOW.plus(Ttl.LONGEST_FINITE).plusSeconds(1)))
        .resolve(INFO, NOW, Ttl.NEVER, true), "36525 days");
  }

  private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String detail) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TusException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TTL);
      assertThat(e.detail()).contains(detail);
    });
  }
}
