package dev.tusk.server.protocol;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The headers of a PATCH, validated before the upload is loaded.
 *
 * @param offset {@code Upload-Offset}
 * @param checksum {@code Upload-Checksum}, if sent as a header
 * @param checksumTrailer true if the checksum is announced as a chunked-encoding trailer
 * @param uploadLength {@code Upload-Length} (creation-defer-length), if sent
 * @param contentLength the body length, or -1 if unknown (chunked)
 */
public record PatchRequest(
    long offset,
    Optional<Checksum> checksum,
    boolean checksumTrailer,
    OptionalLong uploadLength,
    long contentLength) {

  public static PatchRequest parse(
      String contentType,
      String uploadOffset,
      String checksumHeader,
      String trailerHeader,
      String uploadLength,
      long contentLength,
      long maxSize) {
    // tus: "All PATCH requests MUST use Content-Type: application/offset+octet-stream, otherwise
    // the server SHOULD return a 415 Unsupported Media Type status."
    if (contentType == null || !isOffsetOctetStream(contentType)) {
      throw new TusException(
          ErrorCode.INVALID_CONTENT_TYPE,
          "PATCH requires Content-Type: application/offset+octet-stream");
    }
    return forBody(uploadOffset, checksumHeader, trailerHeader, uploadLength, contentLength, maxSize);
  }

  /** The checks of a body-carrying request once its content type is known to be right. */
  public static PatchRequest forBody(
      String uploadOffset,
      String checksumHeader,
      String trailerHeader,
      String uploadLength,
      long contentLength,
      long maxSize) {
    OptionalLong offset = Numbers.nonNegative(uploadOffset);
    if (offset.isEmpty()) {
      throw new TusException(
          ErrorCode.INVALID_OFFSET, "Upload-Offset must be a non-negative integer");
    }
    Optional<Checksum> checksum =
        checksumHeader == null ? Optional.empty() : Optional.of(Checksum.parse(checksumHeader));
    boolean trailer =
        trailerHeader != null
            && trailerHeader.toLowerCase(Locale.ROOT).contains("upload-checksum");
    OptionalLong length =
        uploadLength == null
            ? OptionalLong.empty()
            : OptionalLong.of(CreationRequest.parseLength(uploadLength, maxSize));
    return new PatchRequest(offset.getAsLong(), checksum, trailer, length, contentLength);
  }

  /** True if the body must be verified before its bytes count. */
  public boolean verifiesChecksum() {
    return checksum.isPresent() || checksumTrailer;
  }

  static boolean isOffsetOctetStream(String contentType) {
    int semicolon = contentType.indexOf(';');
    String media = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return media.trim().equalsIgnoreCase("application/offset+octet-stream");
  }
}
