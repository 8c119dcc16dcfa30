package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionalsTest {
  static final Instant CREATED = Instant.parse("2026-11-23T10:00:00.123456789Z");
  static final Instant MODIFIED = Instant.parse("2026-11-23T10:05:00Z");
  static final String ETAG = "\"0123456789abcdef0123456789abcdef\"";
  static final String LM = "Mon, 23 Nov 2026 10:05:00 GMT";

  static UploadInfo upload(String id, long length, Instant created) {
    return UploadInfo.draft(new UploadId(id), OptionalLong.of(length), Map.of(), created, created.plusSeconds(60))
        .withOffset(length, created.plusSeconds(1));
  }

  @Test
  void etag_isStrongQuotedAndStable() {
    String etag = Conditionals.etag(upload("abcdefgh12345678", 10, CREATED));
    assertThat(etag).matches("\"[0-9a-f]{32}\"");
    assertThat(Conditionals.etag(upload("abcdefgh12345678", 10, CREATED))).isEqualTo(etag);
  }

  @Test
  void etag_differsByIdLengthAndCreation() {
    String etag = Conditionals.etag(upload("abcdefgh12345678", 10, CREATED));
    assertThat(Conditionals.etag(upload("abcdefgh12345679", 10, CREATED))).isNotEqualTo(etag);
    assertThat(Conditionals.etag(upload("abcdefgh12345678", 11, CREATED))).isNotEqualTo(etag);
    assertThat(Conditionals.etag(upload("abcdefgh12345678", 10, CREATED.plusNanos(1)))).isNotEqualTo(etag);
  }

  @Test
  void etag_ofEachUploadStaysItsOwn_whenUploadsAlternate() {
    String a = Conditionals.etag(upload("abcdefgh12345678", 10, CREATED));
    String b = Conditionals.etag(upload("abcdefgh12345679", 10, CREATED));
    assertThat(Conditionals.etag(upload("abcdefgh12345678", 10, CREATED))).isEqualTo(a);
    assertThat(Conditionals.etag(upload("abcdefgh12345679", 10, CREATED))).isEqualTo(b);
    assertThat(Conditionals.etag(upload("abcdefgh12345678", 10, CREATED.plusNanos(1))))
        .isNotEqualTo(a);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void lastModified_truncatesToSecondsAndNeverPassesNow() {
    UploadInfo info = upload("abcdefgh12345678", 10, CREATED);
    assertThat(Conditionals.lastModified(info, CREATED.plusSeconds(100)))
        .isEqualTo(Instant.parse("2026-11-23T10:00:01Z"));
    assertThat(Conditionals.lastModified(info, CREATED)).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
  }

  record NotModified(String ifNoneMatch, String ifModifiedSince, boolean expected) {}

  static Stream<NotModified> notModified() {
    return Stream.of(
        new NotModified(null, null, false),
        new NotModified(ETAG, null, true),
        new NotModified("W/" + ETAG, null, true),
        new NotModified("\"other\", " + ETAG, null, true),
        new NotModified("\"other\"," + "W/\"x\"", null, false),
        new NotModified("*", null, true),
        new NotModified("\"a,b\", " + ETAG, null, true),
        new NotModified("garbage", null, false),
        // If-None-Match wins over If-Modified-Since
        new NotModified("\"other\"", LM, false),
        new NotModified(null, LM, true),
        new NotModified(null, "Mon, 23 Nov 2026 10:05:01 GMT", true),
        new NotModified(null, "Mon, 23 Nov 2026 10:04:59 GMT", false),
        new NotModified(null, "not a date", false));
  }

  @ParameterizedTest
  @MethodSource("notModified")
  void notModified_table(NotModified c) {
    assertThat(Conditionals.notModified(c.ifNoneMatch(), c.ifModifiedSince(), ETAG, MODIFIED))
        .isEqualTo(c.expected());
  }

  record IfRange(String value, boolean expected) {}

  static Stream<IfRange> ifRange() {
    return Stream.of(
        new IfRange(null, true),
        new IfRange(ETAG, true),
        new IfRange(" " + ETAG + " ", true),
        new IfRange("\"stale\"", false),
        new IfRange("W/" + ETAG, false),
        new IfRange(LM, true),
        new IfRange("Mon, 23 Nov 2026 10:05:01 GMT", false),
        new IfRange("Mon, 23 Nov 2026 10:04:59 GMT", false),
        new IfRange("yesterday", false));
  }

  @ParameterizedTest
  @MethodSource("ifRange")
  void rangeApplies_table(IfRange c) {
    assertThat(Conditionals.rangeApplies(c.value(), ETAG, MODIFIED)).isEqualTo(c.expected());
  }

  @Test
  void entityTags_parsesListWithCommasInsideTags() {
    assertThat(Conditionals.entityTags("\"a\", W/\"b,c\" ,\"d\""))
        .containsExactly("\"a\"", "W/\"b,c\"", "\"d\"");
  }
}
