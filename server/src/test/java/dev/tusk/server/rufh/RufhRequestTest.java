package dev.tusk.server.rufh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RufhRequestTest {
  private static RufhRequest req(
      InteropVersion v, String complete, String offset, String length, long contentLength) {
    return v.usesUploadIncomplete()
        ? RufhRequest.parse(v, null, complete == null ? null : (complete.equals("?1") ? "?0" : "?1"),
            offset, length, contentLength)
        : RufhRequest.parse(v, complete, null, offset, length, contentLength);
  }

  private static void assertCode(Runnable r, ErrorCode code) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void creation_completeWithContentLength_recordsLength(InteropVersion v) {
    RufhRequest.Creation c = req(v, "?1", null, null, 100).creation(0);
    assertThat(c.complete()).isTrue();
    assertThat(c.length()).hasValue(100);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void creation_incomplete_lengthUnknown(InteropVersion v) {
    RufhRequest.Creation c = req(v, "?0", null, null, 25).creation(0);
    assertThat(c.complete()).isFalse();
    assertThat(c.length()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void creation_withUploadOffset_rejected(InteropVersion v) {
    // "The request MUST NOT include the Upload-Offset header field."
    assertCode(() -> req(v, "?1", "0", null, 1).creation(0), ErrorCode.UPLOAD_FIELD_NOT_ALLOWED);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void creation_withoutCompleteness_rejected(InteropVersion v) {
    assertCode(() -> req(v, null, null, null, 1).creation(0), ErrorCode.INVALID_UPLOAD_COMPLETE);
  }

  @Test
  void creation_uploadLengthDisagreesWithContentLength_inconsistent() {
    // -05: "If the sizes are inconsistent, the server MUST reject the request by responding with a 400"
    assertThatThrownBy(() -> req(InteropVersion.V7, "?1", null, "50", 100).creation(0))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.body()).get().asString().contains("inconsistent-upload-length");
        });
  }

  @Test
  void creation_uploadLength_recordedForVersion6On_ignoredBefore() {
    assertThat(req(InteropVersion.V6, "?0", null, "500", 10).creation(0).length()).hasValue(500);
    assertThat(req(InteropVersion.V5, "?0", null, "500", 10).creation(0).length()).isEmpty();
  }

  @Test
  void creation_overMaxSize_413() {
    assertCode(() -> req(InteropVersion.V9, "?1", null, null, 101).creation(100), ErrorCode.MAX_SIZE_EXCEEDED);
  }

  @Test
  void parse_malformedFields_400() {
    assertCode(() -> req(InteropVersion.V9, "true", null, null, 1), ErrorCode.INVALID_UPLOAD_COMPLETE);
    assertCode(() -> req(InteropVersion.V9, "?1", "-1", null, 1), ErrorCode.INVALID_OFFSET);
    assertCode(() -> req(InteropVersion.V9, "?1", null, "ten", 1), ErrorCode.INVALID_UPLOAD_LENGTH);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void append_mismatchingOffset_409WithBothOffsets(InteropVersion v) {
    assertThatThrownBy(() -> req(v, "?0", "200", null, 10).append(100, OptionalLong.empty(), false, 0))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.headers()).containsEntry("Upload-Offset", "100");
          assertThat(e.body()).get().asString()
              .contains("\"expected-offset\":100").contains("\"provided-offset\":200");
          // the problem type exists from -04 (interop 6) on
          assertThat(e.body().orElseThrow().contains("mismatching-upload-offset"))
              .isEqualTo(v.number() >= 6);
        });
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void append_toCompletedUpload_400(InteropVersion v) {
    assertThatThrownBy(() -> req(v, "?1", "10", null, 5).append(10, OptionalLong.of(10), true, 0))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_COMPLETED);
          // completed-upload is defined by -04 to -11 (interop 6 to 8)
          assertThat(e.body().orElseThrow().contains("#completed-upload"))
              .isEqualTo(v.number() >= 6 && v.number() <= 8);
        });
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void versionRules_matchTheDrafts(InteropVersion v) {
    int n = v.number();
    assertThat(v.usesUploadIncomplete()).isEqualTo(n == 3);
    assertThat(v.hasUploadLength()).isEqualTo(n >= 6);
    assertThat(v.hasUploadLimit()).isEqualTo(n >= 6);
    assertThat(v.lifetimeKey()).isEqualTo(n == 6 ? "expires" : "max-age");
    assertThat(v.requiresPartialUpload()).isEqualTo(n >= 6);
    assertThat(v.hasInconsistentLengthProblem()).isEqualTo(n >= 7);
    assertThat(v.completenessOnEveryResponse()).isEqualTo(n >= 7);
    assertThat(v.incompleteAppendStatus()).isEqualTo(n <= 6 ? 201 : 204);
    assertThat(v.acceptPatchOnOptions()).isEqualTo(n == 8);
    assertThat(v.offsetByGet()).isEqualTo(n == 9);
  }

  @Test
  void append_emptyCompletionOfCompletedUpload_replayed() {
    RufhRequest.Append a = req(InteropVersion.V9, "?1", "10", null, 0).append(10, OptionalLong.of(10), true, 0);
    assertThat(a.replay()).isTrue();
  }

  @Test
  void append_completeWithContentLength_recordsOffsetPlusLength() {
    // -03: "the upload's final size is the sum of the upload's offset and the Content-Length"
    RufhRequest.Append a = req(InteropVersion.V5, "?1", "100", null, 50).append(100, OptionalLong.empty(), false, 0);
    assertThat(a.length()).hasValue(150);
    assertThat(a.allowed()).isEqualTo(50);
  }

  @Test
  void append_finalSizeDisagreesWithRecord_400() {
    // -03: "If the server does have a previous record, that value MUST match the upload's final size"
    assertCode(() -> req(InteropVersion.V5, "?1", "100", null, 50).append(100, OptionalLong.of(200), false, 0),
        ErrorCode.INCONSISTENT_UPLOAD_LENGTH);
  }

  @Test
  void append_contentPastRecordedLength_400() {
    assertCode(() -> req(InteropVersion.V6, "?0", "0", null, 11).append(0, OptionalLong.of(10), false, 0),
        ErrorCode.INCONSISTENT_UPLOAD_LENGTH);
  }

  @Test
  void append_withoutOffset_400() {
    assertCode(() -> req(InteropVersion.V7, "?0", null, null, 1).append(0, OptionalLong.empty(), false, 0),
        ErrorCode.INVALID_OFFSET);
  }

  @Test
  void append_version3WithoutIncomplete_completesTheUpload() {
    // -01: complete with "the Upload-Incomplete header being omitted or set to false"
    RufhRequest r = RufhRequest.parse(InteropVersion.V3, null, null, "5", null, 5);
    assertThat(r.append(5, OptionalLong.empty(), false, 0).complete()).isTrue();
  }

  @Test
  void append_laterVersionsWithoutComplete_400() {
    assertCode(() -> req(InteropVersion.V6, null, "5", null, 5).append(5, OptionalLong.empty(), false, 0),
        ErrorCode.INVALID_UPLOAD_COMPLETE);
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  void offsetRetrieval_withUploadFields_400(InteropVersion v) {
    // "The request MUST NOT include an Upload-Offset or Upload-Complete header field."
    assertCode(() -> req(v, null, "0", null, -1).requireNoUploadFields("offset retrieval"),
        ErrorCode.UPLOAD_FIELD_NOT_ALLOWED);
    assertCode(() -> req(v, "?0", null, null, -1).requireNoUploadFields("offset retrieval"),
        ErrorCode.UPLOAD_FIELD_NOT_ALLOWED);
    req(v, null, null, null, -1).requireNoUploadFields("offset retrieval");
  }
}
