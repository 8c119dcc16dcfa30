package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatchPreconditionsTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static UploadInfo upload(long offset, OptionalLong length, ConcatKind kind) {
    return UploadInfo.draft(UploadId.random(), length, Map.of(), T, T.plusSeconds(60))
        .withOffset(offset, T)
        .withConcat(kind, List.of());
  }

  private static PatchRequest patch(String offset, String uploadLength, long contentLength) {
    return PatchRequest.parse(
        "application/offset+octet-stream", offset, null, null, uploadLength, contentLength, 0);
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(upload(0, OptionalLong.of(10), ConcatKind.FINAL), patch("0", null, 1), ErrorCode.MODIFY_FINAL),
        Arguments.of(upload(5, OptionalLong.of(10), ConcatKind.NONE), patch("4", null, 1), ErrorCode.MISMATCHED_OFFSET),
        Arguments.of(upload(5, OptionalLong.of(10), ConcatKind.NONE), patch("6", null, 1), ErrorCode.MISMATCHED_OFFSET),
        Arguments.of(upload(5, OptionalLong.of(10), ConcatKind.NONE), patch("5", null, 6), ErrorCode.UPLOAD_SIZE_EXCEEDED),
        Arguments.of(upload(10, OptionalLong.of(10), ConcatKind.NONE), patch("10", null, 1), ErrorCode.UPLOAD_SIZE_EXCEEDED),
        Arguments.of(upload(5, OptionalLong.of(10), ConcatKind.NONE), patch("5", "11", 1), ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of(upload(5, OptionalLong.empty(), ConcatKind.NONE), patch("5", "4", 0), ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of(upload(5, OptionalLong.empty(), ConcatKind.NONE), patch("5", "6", 2), ErrorCode.UPLOAD_SIZE_EXCEEDED));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void check_rejects(UploadInfo info, PatchRequest request, ErrorCode code) {
    assertThatThrownBy(() -> PatchPreconditions.check(request, info, 0))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void check_returnsRemainingLength() {
    assertThat(PatchPreconditions.check(patch("5", null, -1), upload(5, OptionalLong.of(10), ConcatKind.NONE), 0))
        .isEqualTo(5);
    assertThat(PatchPreconditions.check(patch("5", "8", 3), upload(5, OptionalLong.empty(), ConcatKind.NONE), 0))
        .isEqualTo(3);
    assertThat(PatchPreconditions.check(patch("5", null, -1), upload(5, OptionalLong.empty(), ConcatKind.NONE), 100))
        .isEqualTo(95);
    assertThat(PatchPreconditions.check(patch("5", "10", 1), upload(5, OptionalLong.of(10), ConcatKind.PARTIAL), 0))
        .isEqualTo(5);
  }

  @Test
  void deferredWithoutMaximum_beyondMaxSizeIsMaxSizeExceeded() {
    assertThatThrownBy(() -> PatchPreconditions.check(patch("5", null, 100), upload(5, OptionalLong.empty(), ConcatKind.NONE), 50))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MAX_SIZE_EXCEEDED));
  }

  static Stream<Arguments> badHeaders() {
    return Stream.of(
        Arguments.of("text/plain", "0", null, ErrorCode.INVALID_CONTENT_TYPE),
        Arguments.of(null, "0", null, ErrorCode.INVALID_CONTENT_TYPE),
        Arguments.of("application/offset+octet-stream", null, null, ErrorCode.INVALID_OFFSET),
        Arguments.of("application/offset+octet-stream", "-1", null, ErrorCode.INVALID_OFFSET),
        Arguments.of("application/offset+octet-stream", "abc", null, ErrorCode.INVALID_OFFSET),
        Arguments.of("application/offset+octet-stream", "0", "whirlpool AAAA", ErrorCode.UNSUPPORTED_CHECKSUM_ALGORITHM));
  }

  @ParameterizedTest
  @MethodSource("badHeaders")
  void parse_rejectsBadHeaders(String type, String offset, String checksum, ErrorCode code) {
    assertThatThrownBy(() -> PatchRequest.parse(type, offset, checksum, null, null, 1, 0))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void parse_contentTypeWithParameters_andTrailer() {
    PatchRequest r = PatchRequest.parse(
        "Application/Offset+Octet-Stream; charset=binary", "7", null, "Upload-Checksum", null, -1, 0);
    assertThat(r.offset()).isEqualTo(7);
    assertThat(r.checksumTrailer()).isTrue();
    assertThat(r.verifiesChecksum()).isTrue();
  }
}
