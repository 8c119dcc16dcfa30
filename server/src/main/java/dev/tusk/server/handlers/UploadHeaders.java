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
      headers.put(TusHeaders.UPLOAD_METADATA, Metadata.encode(info.metadata()));
    }
    if (info.concat() == ConcatKind.PARTIAL) {
      headers.put(TusHeaders.UPLOAD_CONCAT, "partial");
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

  static void expires(HeaderMap headers, UploadInfo info) {
    headers.put(TusHeaders.UPLOAD_EXPIRES, HttpDates.format(info.expiresAt()));
  }
}
