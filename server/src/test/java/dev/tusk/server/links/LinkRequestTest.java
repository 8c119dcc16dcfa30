package dev.tusk.server.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkRequestTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LinkRequest.Bounds BOUNDS =
      new LinkRequest.Bounds(
          1_000_000, Duration.ofHours(24), Duration.ofDays(7), Duration.ofMinutes(15),
          Duration.ofHours(1), 8, 1024);
  private static final CallbackHosts HOSTS = new CallbackHosts(List.of("api.example.com"));
  private static final Principal ALICE = new Principal("alice", Set.of(Scopes.UPLOAD), Map.of());

  @Test
  void parse_empty_usesDefaults() throws Exception {
    UploadLink link = parse("{}", ALICE);
    assertThat(link.owner()).isEqualTo("alice");
    assertThat(link.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    assertThat(link.fileTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(link.maxSize()).hasValue(1_000_000); // the server's maximum is written into the link
  }

  @Test
  void parse_everyField() throws Exception {
    UploadLink link =
        parse(
            "{\"filename\":\"a.pdf\",\"size\":10,\"content_types\":[\"Application/PDF\"],"
                + "\"sha256\":\"" + "AB".repeat(32) + "\",\"ttl\":60,\"file_ttl\":3600,"
                + "\"metadata\":{\"k\":\"v\"},\"callback_url\":\"https://api.example.com/cb\"}",
            ALICE);
    assertThat(link.filename()).contains("a.pdf");
    assertThat(link.size()).hasValue(10);
    assertThat(link.contentTypes()).containsExactly("application/pdf");
    assertThat(link.sha256()).contains("ab".repeat(32));
    assertThat(link.expiresAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(link.fileTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(link.metadata()).containsEntry("k", "v");
    assertThat(link.callback()).hasValueSatisfying(u -> assertThat(u.getHost()).isEqualTo("api.example.com"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"maxSize\":1} | INVALID_REQUEST",
        "{\"size\":1,\"max_size\":2} | INVALID_REQUEST",
        "{\"size\":-1} | INVALID_REQUEST",
        "{\"size\":1.5} | INVALID_REQUEST",
        "{\"size\":1000001} | MAX_SIZE_EXCEEDED",
        "{\"ttl\":3601} | INVALID_TTL",
        "{\"ttl\":0} | INVALID_TTL",
        "{\"ttl\":600,\"file_ttl\":300} | INVALID_TTL",
        "{\"ttl\":18446744073709551676} | INVALID_TTL", // 2^64 + 60
        "{\"file_ttl\":18446744073709555216} | INVALID_TTL", // 2^64 + 3600
        "{\"sha256\":\"abc\"} | INVALID_REQUEST",
        "{\"md5\":\"" + "zz" + "\"} | INVALID_REQUEST",
        "{\"content_types\":[\"pdf\"]} | INVALID_REQUEST",
        "{\"metadata\":{\"a b\":\"v\"}} | INVALID_REQUEST",
        "{\"metadata\":{\"1\":\"\",\"2\":\"\",\"3\":\"\",\"4\":\"\",\"5\":\"\",\"6\":\"\",\"7\":\"\",\"8\":\"\",\"9\":\"\"}} | HEADERS_TOO_LARGE",
        "{\"callback_url\":\"https://evil.example.org/cb\"} | FORBIDDEN",
        "{\"callback_url\":\"http://169.254.169.254/\"} | FORBIDDEN",
        "{\"owner\":\"bob\"} | FORBIDDEN",
        "[] | INVALID_REQUEST",
      })
  void parse_refuses(String body, ErrorCode code) {
    assertThatThrownBy(() -> parse(body, ALICE))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void parse_issuerLimits_capTheLink() throws Exception {
    Principal limited =
        new Principal("carol", Set.of(Scopes.UPLOAD),
            Map.of("maxSize", "100", "allowedTypes", "image/*", "maxTtl", "7200"));
    UploadLink link = parse("{}", limited);
    assertThat(link.maxSize()).hasValue(100);
    assertThat(link.contentTypes()).containsExactly("image/*");
    assertThat(link.fileTtl()).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> parse("{\"max_size\":101}", limited)).isInstanceOf(TusException.class);
    assertThatThrownBy(() -> parse("{\"content_types\":[\"video/mp4\"]}", limited))
        .isInstanceOfSatisfying(TusException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONTENT_TYPE));
    assertThat(parse("{\"content_types\":[\"image/png\"]}", limited).contentTypes()).containsExactly("image/png");
  }

  @Test
  void parse_adminMayIssueForAnotherOwner() throws Exception {
    Principal admin = new Principal("ops", Set.of(Scopes.ADMIN), Map.of());
    assertThat(parse("{\"owner\":\"bob\"}", admin).owner()).isEqualTo("bob");
  }

  private static UploadLink parse(String body, Principal issuer) throws Exception {
    JsonNode json = JSON.readTree(body);
    return LinkRequest.parse(json, issuer, NOW, BOUNDS, HOSTS);
  }
}
