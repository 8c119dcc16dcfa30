package dev.tusk.server.handlers;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.HttpDates;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.protocol.Metadata;
import io.undertow.util.HeaderMap;
import java.util.stream.Collectors;

/** Writes the tus headers that describe an upload (HEAD, and 204 downloads of incomplete ones). */
final class UploadHeaders {
  /** Attribute keeping the creation request's Upload-Metadata header as received. */
  static final String RECEIVED_METADATA = "tus.uploadMetadata";
  /** Attribute keeping a final upload's Upload-Concat header as received. */
  static final String RECEIVED_CONCAT = "tus.uploadConcat";

  private UploadHeaders() {}

  static void describe(HeaderMap headers, UploadInfo info, String basePath) {
    // tus concatenation-unfinished: "the Server MUST NOT include Upload-Offset in the HEAD
    // response" of a final upload whose concatenation is not finished
    boolean unfinishedFinal = info.concat() == ConcatKind.FINAL && !info.isComplete();
    if (!unfinishedFinal) {
      headers.put(TusHeaders.UPLOAD_OFFSET, info.offset());
    }
    if (info.length().isPresent()) {
      headers.put(TusHeaders.UPLOAD_LENGTH, info.length().getAsLong());
    } else if (info.concat() != ConcatKind.FINAL) {
      headers.put(TusHeaders.UPLOAD_DEFER_LENGTH, "1");
    }
    if (!info.metadata().isEmpty()) {
      // tus: "the Server MUST include the Upload-Metadata response header ... as specified by the
      // Client during the creation": values may be binary, so the header is echoed as received
      // while the decoded pairs still match it (a hook may have changed them since)
      String received = info.attributes().get(RECEIVED_METADATA);
      headers.put(
          TusHeaders.UPLOAD_METADATA,
          received != null && Metadata.parse(received).equals(info.metadata())
              ? received
              : Metadata.encode(info.metadata()));
    }
    String receivedConcat = info.attributes().get(RECEIVED_CONCAT);
    if (info.concat() == ConcatKind.PARTIAL) {
      headers.put(TusHeaders.UPLOAD_CONCAT, "partial");
    } else if (info.concat() == ConcatKind.FINAL && receivedConcat != null) {
      // tus concatenation: Upload-Concat in HEAD "as received in the upload creation request"
      headers.put(TusHeaders.UPLOAD_CONCAT, receivedConcat);
    } else if (info.concat() == ConcatKind.FINAL) {
      headers.put(
          TusHeaders.UPLOAD_CONCAT,
          "final;"
              + info.partials().stream()
                  .map(UploadId::value)
                  .map(id -> basePath + id)
                  .collect(Collectors.joining(" ")));
    }
    expires(headers, info);
  }

  /**
   * Keeps the {@code Upload-Metadata} and {@code Upload-Concat} headers of a creation request as
   * the client sent them, so HEAD echoes them byte for byte. Both were validated (ASCII, no
   * control characters) before this is called.
   */
  static UploadInfo asReceived(UploadInfo draft, io.undertow.server.HttpServerExchange exchange) {
    UploadInfo info = draft;
    String metadata = exchange.getRequestHeaders().getFirst(TusHeaders.UPLOAD_METADATA);
    if (metadata != null && !metadata.isBlank()) {
      info = info.withAttribute(RECEIVED_METADATA, metadata.trim());
    }
    String concat = exchange.getRequestHeaders().getFirst(TusHeaders.UPLOAD_CONCAT);
    if (draft.concat() == ConcatKind.FINAL && concat != null) {
      info = info.withAttribute(RECEIVED_CONCAT, concat.trim());
    }
    return info;
  }

  /** {@code Upload-Expires}, absent for an upload kept until deleted (it will not expire). */
  static void expires(HeaderMap headers, UploadInfo info) {
    info.expiresAt()
        .ifPresent(at -> headers.put(TusHeaders.UPLOAD_EXPIRES, HttpDates.format(at)));
  }
}
