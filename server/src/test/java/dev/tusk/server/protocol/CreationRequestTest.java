package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CreationRequestTest {
  private static final long MAX = 1_000;

  static Stream<Arguments> invalid() {
    String partial = "/files/" + UploadId.random();
    return Stream.of(
        Arguments.of(null, null, null, ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of("10", "1", null, ErrorCode.UPLOAD_LENGTH_AND_DEFER),
        Arguments.of(null, "2", null, ErrorCode.INVALID_UPLOAD_DEFER_LENGTH),
        Arguments.of("-1", null, null, ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of("+1", null, null, ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of("1e3", null, null, ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of("99999999999999999999", null, null, ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of("1001", null, null, ErrorCode.MAX_SIZE_EXCEEDED),
        Arguments.of("10", null, "final;" + partial, ErrorCode.INVALID_UPLOAD_LENGTH),
        Arguments.of(null, null, "final;", ErrorCode.INVALID_CONCAT),
        Arguments.of(null, null, "final;/elsewhere/" + UploadId.random(), ErrorCode.INVALID_CONCAT),
        Arguments.of(null, null, "final;/files/../../etc", ErrorCode.INVALID_CONCAT),
        Arguments.of("10", null, "partially", ErrorCode.INVALID_CONCAT));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void parse_invalid(String length, String defer, String concat, ErrorCode code) {
    assertThatThrownBy(() -> CreationRequest.parse(length, defer, null, concat, "/files/", MAX))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void parse_lengthAtMaximum_isAccepted() {
    assertThat(CreationRequest.parse("1000", null, null, null, "/files/", MAX).length())
        .isEqualTo(OptionalLong.of(1000));
  }

  @Test
  void parse_noMaximum_acceptsHugeLength() {
    assertThat(CreationRequest.parse(String.valueOf(Long.MAX_VALUE), null, null, null, "/files/", 0).length())
        .isEqualTo(OptionalLong.of(Long.MAX_VALUE));
  }

  @Test
  void parse_deferred() {
    CreationRequest r = CreationRequest.parse(null, "1", "a YQ==", null, "/files/", MAX);
    assertThat(r.length()).isEmpty();
    assertThat(r.metadata()).containsEntry("a", "a");
  }

  @Test
  void parse_finalWithAbsoluteAndRelativeUrls() {
    UploadId a = UploadId.random();
    UploadId b = UploadId.random();
    CreationRequest r = CreationRequest.parse(
        null, null, null, "final;https://example.com/files/" + a + " /files/" + b, "/files/", MAX);
    assertThat(r.concat().kind()).isEqualTo(ConcatKind.FINAL);
    assertThat(r.concat().partials()).containsExactly(a, b);
  }

  @Test
  void parse_partial() {
    assertThat(CreationRequest.parse("5", null, null, "partial", "/files/", MAX).concat().kind())
        .isEqualTo(ConcatKind.PARTIAL);
  }
}
