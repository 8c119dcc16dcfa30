package dev.tusk.server.http;

import io.undertow.util.HttpString;

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

  private TusHeaders() {}
}
