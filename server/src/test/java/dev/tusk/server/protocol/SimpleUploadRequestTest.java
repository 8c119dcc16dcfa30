package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SimpleUploadRequestTest {
  static final Duration DEFAULT = Duration.ofHours(1);
  static final Duration MAX = Duration.ofHours(2);

  static SimpleUploadRequest parse(String filename, String ttl, long contentLength, boolean chunked, String type) {
    return SimpleUploadRequest.parse(filename, ttl, contentLength, chunked, type, DEFAULT, MAX, 1000);
  }

  @Test
  void parse_contentLength_isTheUploadLength() {
    SimpleUploadRequest r = parse("a.txt", null, 10, false, "text/plain");
    assertThat(r.length()).isEqualTo(OptionalLong.of(10));
    assertThat(r.ttl()).isEqualTo(DEFAULT);
    assertThat(r.metadata()).isEqualTo(Map.of("filename", "a.txt", "filetype", "text/plain"));
  }

  @Test
  void parse_chunked_defersTheLength() {
    assertThat(parse(null, null, -1, true, null).length()).isEmpty();
  }

  @Test
  void parse_noBodyAtAll_isEmptyUpload() {
    SimpleUploadRequest r = parse(null, null, -1, false, null);
    assertThat(r.length()).isEqualTo(OptionalLong.of(0));
    assertThat(r.metadata()).isEmpty();
  }

  @Test
  void parse_ttl_withinBounds() {
    assertThat(parse(null, "60", 0, false, null).ttl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(parse(null, "7200", 0, false, null).ttl()).isEqualTo(MAX);
  }

  @Test
  void parse_ttlOutOfBounds_is400NamingTheRange() {
    for (String ttl : new String[] {"0", "7201", "-1", "abc", "", "1.5"}) {
      assertThatThrownBy(() -> parse(null, ttl, 0, false, null))
          .isInstanceOfSatisfying(TusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TTL);
            assertThat(e.detail()).contains("1 to 7200");
          });
    }
  }

  @Test
  void parse_contentLengthOverMax_is413() {
    assertThatThrownBy(() -> parse(null, null, 1001, false, null))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MAX_SIZE_EXCEEDED));
  }

  @Test
  void parse_noMaxSize_acceptsAnyLength() {
    SimpleUploadRequest r =
        SimpleUploadRequest.parse(null, null, Long.MAX_VALUE, false, null, DEFAULT, MAX, 0);
    assertThat(r.length()).isEqualTo(OptionalLong.of(Long.MAX_VALUE));
  }

  @Test
  void parse_overlongFilename_is400() {
    assertThatThrownBy(() -> parse("a".repeat(SimpleUploadRequest.MAX_FILENAME + 1), null, 0, false, null))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @Test
  void parse_emptyFilenameAndOverlongType_areNotStored() {
    assertThat(parse("", null, 0, false, "x/" + "y".repeat(300)).metadata()).isEmpty();
  }

  @Test
  void isPlain_noVersionAndNoCreationHeader() {
    assertThat(SimpleUploadRequest.isPlain(null, null, null, null, null)).isTrue();
    assertThat(SimpleUploadRequest.isPlain("1.0.0", null, null, null, null)).isFalse();
    assertThat(SimpleUploadRequest.isPlain("", null, null, null, null)).isFalse();
    assertThat(SimpleUploadRequest.isPlain(null, "5", null, null, null)).isFalse();
    assertThat(SimpleUploadRequest.isPlain(null, null, null, null, "filename YQ==")).isFalse();
  }

  @Test
  void looksLikeTus_anyCreationHeader() {
    assertThat(SimpleUploadRequest.looksLikeTus(null, null, null, null)).isFalse();
    assertThat(SimpleUploadRequest.looksLikeTus("5", null, null, null)).isTrue();
    assertThat(SimpleUploadRequest.looksLikeTus(null, "1", null, null)).isTrue();
    assertThat(SimpleUploadRequest.looksLikeTus(null, null, "partial", null)).isTrue();
    assertThat(SimpleUploadRequest.looksLikeTus(null, null, null, "filename YQ==")).isTrue();
  }
}
