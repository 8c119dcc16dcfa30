package dev.tusk.server.http;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.Map;

/** Header names used by the tus protocol and by tusk, as Undertow {@link HttpString}s. */
public final class TusHeaders {
  public static final HttpString TUS_RESUMABLE = new HttpString("Tus-Resumable");
  public static final HttpString TUS_VERSION = new HttpString("Tus-Version");
  public static final HttpString TUS_EXTENSION = new HttpString("Tus-Extension");
  public static final HttpString TUS_MAX_SIZE = new HttpString("Tus-Max-Size");
  public static final HttpString TUS_CHECKSUM_ALGORITHM = new HttpString("Tus-Checksum-Algorithm");
  public static final HttpString UPLOAD_OFFSET = new HttpString("Upload-Offset");
  public static final HttpString UPLOAD_LENGTH = new HttpString("Upload-Length");
  public static final HttpString UPLOAD_DEFER_LENGTH = new HttpString("Upload-Defer-Length");
  public static final HttpString UPLOAD_METADATA = new HttpString("Upload-Metadata");
  public static final HttpString UPLOAD_EXPIRES = new HttpString("Upload-Expires");
  public static final HttpString UPLOAD_CONCAT = new HttpString("Upload-Concat");
  public static final HttpString UPLOAD_CHECKSUM = new HttpString("Upload-Checksum");
  public static final HttpString METHOD_OVERRIDE = new HttpString("X-HTTP-Method-Override");
  public static final HttpString X_FORWARDED_HOST = new HttpString("X-Forwarded-Host");
  public static final HttpString X_FORWARDED_PROTO = new HttpString("X-Forwarded-Proto");
  public static final HttpString FORWARDED = new HttpString("Forwarded");
  public static final HttpString TRAILER = new HttpString("Trailer");
  public static final HttpString X_REQUEST_ID = new HttpString("X-Request-ID");

  /** The content type of a PATCH body. */
  public static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";

  /** The only protocol version this server speaks. */
  public static final String VERSION = "1.0.0";

  /** The code of a single-valued header sent more than once; {@code ERR_INVALID_REQUEST} otherwise. */
  private static final Map<HttpString, ErrorCode> REPEATED =
      Map.of(
          UPLOAD_LENGTH, ErrorCode.INVALID_UPLOAD_LENGTH,
          UPLOAD_OFFSET, ErrorCode.INVALID_OFFSET,
          UPLOAD_DEFER_LENGTH, ErrorCode.INVALID_UPLOAD_DEFER_LENGTH,
          UPLOAD_CHECKSUM, ErrorCode.INVALID_CHECKSUM_HEADER,
          UPLOAD_METADATA, ErrorCode.INVALID_METADATA,
          UPLOAD_CONCAT, ErrorCode.INVALID_CONCAT);

  private TusHeaders() {}

  /**
   * The value of a request header that takes exactly one value (Tus-Resumable, Upload-Length,
   * Upload-Offset, Upload-Defer-Length, Upload-Checksum, Upload-Metadata, Upload-Concat,
   * Content-Type), trimmed, or null when it is absent. Sent more than once it is a 400: which of
   * two lengths or offsets the client meant cannot be guessed, and taking the first would let a
   * proxy and this server read different requests from the same bytes.
   *
   * @throws TusException with the header's own {@code ERR_INVALID_*} code (400) when repeated
   */
  public static String single(HttpServerExchange exchange, HttpString name) {
    HeaderValues values = exchange.getRequestHeaders().get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new TusException(
          REPEATED.getOrDefault(name, ErrorCode.INVALID_REQUEST),
          name + " appears " + values.size() + " times; it takes exactly one value");
    }
    return values.getFirst().trim();
  }
}
