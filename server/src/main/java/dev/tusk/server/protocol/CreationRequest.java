package dev.tusk.server.protocol;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A validated tus creation request (POST on the collection).
 *
 * @param length the declared length; empty when deferred or for a final concatenation
 * @param metadata decoded {@code Upload-Metadata}
 * @param concat the {@code Upload-Concat} header
 */
public record CreationRequest(OptionalLong length, Map<String, String> metadata, ConcatHeader concat) {

  /**
   * @param maxSize the server's maximum upload size, 0 for none
   */
  public static CreationRequest parse(
      String uploadLength,
      String deferLength,
      String metadataHeader,
      String concatHeader,
      String basePath,
      long maxSize) {
    ConcatHeader concat = ConcatHeader.parse(concatHeader, basePath);
    Map<String, String> metadata = Metadata.parse(metadataHeader);
    if (concat.kind() == ConcatKind.FINAL) {
      // tus: "The Client MUST NOT include the Upload-Length header in the final upload creation."
      if (uploadLength != null || deferLength != null) {
        throw new TusException(
            ErrorCode.INVALID_UPLOAD_LENGTH,
            "a final upload must not carry Upload-Length or Upload-Defer-Length");
      }
      return new CreationRequest(OptionalLong.empty(), metadata, concat);
    }
    if (uploadLength != null && deferLength != null) {
      throw new TusException(
          ErrorCode.UPLOAD_LENGTH_AND_DEFER,
          "send either Upload-Length or Upload-Defer-Length, not both");
    }
    if (deferLength != null) {
      // tus: "Upload-Defer-Length: 1 if upload size is not known at the time"
      if (!deferLength.equals("1")) {
        throw new TusException(
            ErrorCode.INVALID_UPLOAD_DEFER_LENGTH, "Upload-Defer-Length must be 1");
      }
      return new CreationRequest(OptionalLong.empty(), metadata, concat);
    }
    if (uploadLength == null) {
      throw new TusException(
          ErrorCode.INVALID_UPLOAD_LENGTH,
          "Upload-Length (or Upload-Defer-Length: 1) is required");
    }
    long length = parseLength(uploadLength, maxSize);
    return new CreationRequest(OptionalLong.of(length), metadata, concat);
  }

  /** A non-negative Upload-Length within the maximum size (413 otherwise). */
  public static long parseLength(String uploadLength, long maxSize) {
    OptionalLong parsed = Numbers.nonNegative(uploadLength);
    if (parsed.isEmpty()) {
      throw new TusException(
          ErrorCode.INVALID_UPLOAD_LENGTH, "Upload-Length must be a non-negative integer");
    }
    long length = parsed.getAsLong();
    // tus: "If the length of the upload exceeds the maximum, which MAY be specified using the
    // Tus-Max-Size header, the Server MUST respond with the 413 Request Entity Too Large status."
    if (maxSize > 0 && length > maxSize) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED,
          "Upload-Length " + length + " exceeds the maximum size " + maxSize);
    }
    return length;
  }
}
