package dev.tusk.server.protocol;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A single-request upload: {@code POST <base path>?filename=<name>&ttl=<seconds>} with the whole
 * file as the body and no {@code Tus-Resumable} header.
 *
 * <p>The rule that tells it apart from tus creation: tus requires {@code Tus-Resumable} on every
 * request but OPTIONS ("The Tus-Resumable header MUST be included in every request and response
 * except for OPTIONS requests"), so a POST on the collection without it is a single-request
 * upload — unless it carries a tus creation header ({@code Upload-Length}, {@code
 * Upload-Defer-Length}, {@code Upload-Concat}, {@code Upload-Metadata}): that is a tus client that
 * forgot the version, and it gets tus's 412 as before.
 *
 * @param metadata what is stored as the upload's metadata: {@code filename} from the query and
 *     {@code filetype} from the request's {@code Content-Type}, when given
 * @param ttl the upload's time to live
 * @param length the body length; empty for a chunked body (declared once the body ended)
 */
public record SimpleUploadRequest(Map<String, String> metadata, Duration ttl, OptionalLong length) {
  static final int MAX_FILENAME = 1024;
  static final int MAX_CONTENT_TYPE = 255;

  public SimpleUploadRequest {
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * True if a POST on the collection is a single-request upload: it has no {@code Tus-Resumable}
   * and no tus creation header. Each argument is the header's value, or null if absent.
   */
  public static boolean isPlain(
      String tusResumable, String uploadLength, String deferLength, String concat, String uploadMetadata) {
    return tusResumable == null && !looksLikeTus(uploadLength, deferLength, concat, uploadMetadata);
  }

  /** True if a POST without {@code Tus-Resumable} carries tus creation headers (then: 412). */
  public static boolean looksLikeTus(
      String uploadLength, String deferLength, String concat, String uploadMetadata) {
    return uploadLength != null || deferLength != null || concat != null || uploadMetadata != null;
  }

  /**
   * @param filename the {@code filename} query parameter, decoded, or null
   * @param ttl the {@code ttl} query parameter, or null for the default
   * @param contentLength the request's Content-Length, -1 if absent
   * @param chunked true if the body is sent with a transfer coding (length unknown)
   * @param contentType the request's Content-Type, or null
   * @param maxSize the server's maximum upload size, 0 for none
   */
  public static SimpleUploadRequest parse(
      String filename,
      String ttl,
      long contentLength,
      boolean chunked,
      String contentType,
      Duration defaultTtl,
      Duration maxTtl,
      long maxSize) {
    Duration resolved = Ttl.resolve(ttl, defaultTtl, maxTtl);
    // tus: "If the length of the upload exceeds the maximum ... the Server MUST respond with the
    // 413 Request Entity Too Large status" — applied here before anything is stored.
    if (maxSize > 0 && contentLength > maxSize) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED,
          "the body of " + contentLength + " bytes exceeds the maximum size " + maxSize);
    }
    OptionalLong length =
        contentLength >= 0
            ? OptionalLong.of(contentLength)
            : chunked ? OptionalLong.empty() : OptionalLong.of(0);
    Map<String, String> metadata = new LinkedHashMap<>();
    if (filename != null && !filename.isEmpty()) {
      if (filename.length() > MAX_FILENAME) {
        throw new TusException(
            ErrorCode.INVALID_REQUEST,
            "filename must be at most " + MAX_FILENAME + " characters");
      }
      metadata.put("filename", filename);
    }
    if (contentType != null && !contentType.isBlank() && contentType.length() <= MAX_CONTENT_TYPE) {
      metadata.put("filetype", contentType.strip());
    }
    return new SimpleUploadRequest(metadata, resolved, length);
  }
}
