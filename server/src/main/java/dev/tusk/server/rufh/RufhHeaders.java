package dev.tusk.server.rufh;

import io.undertow.util.HttpString;

/** The header fields of Resumable Uploads for HTTP. */
public final class RufhHeaders {
  public static final HttpString INTEROP_VERSION = new HttpString("Upload-Draft-Interop-Version");
  public static final HttpString UPLOAD_COMPLETE = new HttpString("Upload-Complete");
  /** Interop version 3 (draft -01) only: the inverse of {@link #UPLOAD_COMPLETE}. */
  public static final HttpString UPLOAD_INCOMPLETE = new HttpString("Upload-Incomplete");
  public static final HttpString UPLOAD_OFFSET = new HttpString("Upload-Offset");
  public static final HttpString UPLOAD_LENGTH = new HttpString("Upload-Length");
  public static final HttpString UPLOAD_LIMIT = new HttpString("Upload-Limit");
  public static final HttpString ACCEPT_PATCH = new HttpString("Accept-Patch");
  /** -04 on: the media type of an append's content. */
  public static final String PARTIAL_UPLOAD = "application/partial-upload";

  private RufhHeaders() {}

  /** The field that states completeness in {@code v} and its value for {@code complete}. */
  public static HttpString completenessField(InteropVersion v) {
    return v.usesUploadIncomplete() ? UPLOAD_INCOMPLETE : UPLOAD_COMPLETE;
  }

  /** The value of {@link #completenessField} for an upload that is or is not complete. */
  public static String completenessValue(InteropVersion v, boolean complete) {
    return StructuredFields.serializeBoolean(v.usesUploadIncomplete() != complete);
  }
}
