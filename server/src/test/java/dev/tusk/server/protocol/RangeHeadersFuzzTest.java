package dev.tusk.server.protocol;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static dev.tusk.server.fuzz.FuzzInput.assertHeaderSafe;
import static dev.tusk.server.fuzz.FuzzInput.fields;
import static dev.tusk.server.fuzz.FuzzInput.number;
import static dev.tusk.server.fuzz.FuzzInput.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tusk.server.http.HttpDates;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz tests of the download's request headers: {@code Range}, {@code If-Range}, {@code
 * If-None-Match} and {@code If-Modified-Since}. None of them ever refuses a request, so nothing may
 * escape at all; what they plan must be within the representation. Seeds: {@code
 * src/test/resources/dev/tusk/server/protocol/RangeHeadersFuzzTestInputs/<method>/}.
 */
class RangeHeadersFuzzTest {
  private static final String ETAG = "\"00112233445566778899aabbccddeeff\"";
  private static final Instant MODIFIED = Instant.parse("2026-11-23T10:00:00Z");

  /**
   * Range against a representation length (first line: the length, second: the header): ranges
   * inside the representation, in the shape the plan's kind promises, with safe headers.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void range(byte[] data) {
    String[] f = fields(data, 2);
    long length = number(f[0], 0);
    ByteRanges plan = ByteRanges.plan(f[1], length);
    List<ByteRange> ranges = plan.ranges();
    switch (plan.kind()) {
      case FULL, UNSATISFIABLE -> assertThat(ranges).isEmpty();
      case SINGLE -> assertThat(ranges).hasSize(1);
      case MULTIPART -> assertThat(ranges).hasSizeBetween(2, ByteRanges.MAX_PARTS);
    }
    long covered = 0;
    for (ByteRange r : ranges) {
      assertThat(r.last()).isLessThan(length);
      assertHeaderSafe(r.contentRange(length));
      covered += r.length();
    }
    assertThat(covered).isBetween(0L, length);
    if (plan.kind() == ByteRanges.Kind.MULTIPART) {
      List<ByteRange> sorted =
          ranges.stream().sorted((a, b) -> Long.compare(a.first(), b.first())).toList();
      for (int i = 1; i < sorted.size(); i++) {
        assertThat(sorted.get(i).first()).isGreaterThan(sorted.get(i - 1).last() + 1);
      }
      MultipartByteRanges body =
          MultipartByteRanges.of("b0undary", "application/octet-stream", ranges, length);
      assertThat(body.contentLength()).isGreaterThan(covered);
      assertHeaderSafe(body.contentType());
    }
  }

  /**
   * If-None-Match, If-Modified-Since and If-Range, one per line: evaluated without an exception;
   * a list in which the current ETag parses is always "not modified".
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void conditionals(byte[] data) {
    String[] f = fields(data, 3);
    boolean notModified = Conditionals.notModified(f[0], f[1], ETAG, MODIFIED);
    Conditionals.rangeApplies(f[2], ETAG, MODIFIED);
    if (f[0] != null) {
      for (String tag : Conditionals.entityTags(f[0])) {
        assertThat(tag).matches("(W/)?\"[^\"]*\"");
      }
      if (Conditionals.entityTags(f[0]).stream().anyMatch(t -> t.equals(ETAG) || t.equals("W/" + ETAG))) {
        assertThat(notModified).isTrue();
      }
    }
  }

  /** An HTTP date: never an exception; a parsed date formats to a date that parses to itself. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void httpDate(byte[] data) {
    Optional<Instant> parsed = HttpDates.parse(text(data));
    parsed.ifPresent(
        instant -> {
          String formatted = HttpDates.format(instant);
          assertHeaderSafe(formatted);
          assertThat(HttpDates.parse(formatted)).contains(instant);
        });
  }
}
