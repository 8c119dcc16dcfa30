package dev.tusk.server.protocol;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import java.util.OptionalLong;

/** The checks of a PATCH against the stored upload. */
public final class PatchPreconditions {
  private PatchPreconditions() {}

  /**
   * Checks {@code request} against {@code info} and returns how many body bytes may be stored:
   * the rest of the declared length, or for a deferred length what the maximum size still allows.
   *
   * @param maxSize the server's maximum upload size, 0 for none
   */
  public static long check(PatchRequest request, UploadInfo info, long maxSize) {
    // tus concatenation: "the Server MUST respond with the 403 Forbidden status to PATCH requests
    // against a final upload URL"
    if (info.concat() == ConcatKind.FINAL) {
      throw new TusException(ErrorCode.MODIFY_FINAL, "a final upload cannot be patched");
    }
    // tus: "If the offsets do not match, the Server MUST respond with the 409 Conflict status
    // without modifying the upload resource."
    if (request.offset() != info.offset()) {
      throw new TusException(
          ErrorCode.MISMATCHED_OFFSET,
          "Upload-Offset is " + request.offset() + " but the upload is at " + info.offset());
    }
    OptionalLong length = info.length();
    if (request.uploadLength().isPresent()) {
      long declared = request.uploadLength().getAsLong();
      if (length.isPresent() && length.getAsLong() != declared) {
        // tus: once set, "the length MUST NOT be changed"
        throw new TusException(
            ErrorCode.INVALID_UPLOAD_LENGTH,
            "Upload-Length is already " + length.getAsLong() + " and cannot change to " + declared);
      }
      if (declared < info.offset()) {
        throw new TusException(
            ErrorCode.INVALID_UPLOAD_LENGTH,
            "Upload-Length " + declared + " is below the offset " + info.offset());
      }
      length = OptionalLong.of(declared);
    }
    long allowed =
        length.isPresent()
            ? length.getAsLong() - info.offset()
            : (maxSize > 0 ? maxSize - info.offset() : Long.MAX_VALUE - info.offset());
    if (request.contentLength() > allowed) {
      throw new TusException(
          length.isPresent() ? ErrorCode.UPLOAD_SIZE_EXCEEDED : ErrorCode.MAX_SIZE_EXCEEDED,
          "the body of " + request.contentLength() + " bytes is longer than the " + allowed
              + " bytes left before the "
              + (length.isPresent() ? "upload length " + length.getAsLong()
                  : "maximum size " + maxSize));
    }
    return allowed;
  }
}
