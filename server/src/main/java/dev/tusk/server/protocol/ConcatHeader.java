package dev.tusk.server.protocol;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** A parsed {@code Upload-Concat} header. */
public record ConcatHeader(ConcatKind kind, List<UploadId> partials) {
  public static final ConcatHeader NONE = new ConcatHeader(ConcatKind.NONE, List.of());

  /**
   * tus: "the Client MUST include the Upload-Concat header with the value partial" for a partial
   * upload, and for the final one "the header MUST be set to final followed by a semicolon and a
   * space-separated list of the partial upload URLs". URLs may be absolute or relative to the
   * server; only their path is used and it must name an upload under {@code basePath}.
   */
  public static ConcatHeader parse(String header, String basePath) {
    if (header == null || header.isBlank()) {
      return NONE;
    }
    String value = header.trim();
    if (value.equals("partial")) {
      return new ConcatHeader(ConcatKind.PARTIAL, List.of());
    }
    if (!value.startsWith("final;")) {
      throw invalid("Upload-Concat must be 'partial' or 'final;<urls>'");
    }
    List<UploadId> ids = new ArrayList<>();
    for (String url : value.substring("final;".length()).trim().split(" +")) {
      if (!url.isEmpty()) {
        ids.add(idOf(url, basePath));
      }
    }
    if (ids.isEmpty()) {
      throw invalid("Upload-Concat: final lists no partial uploads");
    }
    return new ConcatHeader(ConcatKind.FINAL, List.copyOf(ids));
  }

  private static UploadId idOf(String url, String basePath) {
    String path;
    try {
      path = new URI(url).getRawPath();
    } catch (URISyntaxException e) {
      throw invalid("Upload-Concat: '" + safe(url) + "' is not a URL");
    }
    if (path == null || !path.startsWith(basePath)) {
      throw invalid("Upload-Concat: '" + safe(url) + "' is not an upload URL of this server");
    }
    return UploadId.parse(path.substring(basePath.length()))
        .orElseThrow(() -> invalid("Upload-Concat: '" + safe(url) + "' names no valid upload"));
  }

  private static String safe(String s) {
    String printable = s.replaceAll("[^\\x21-\\x7e]", "?");
    return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
  }

  private static TusException invalid(String detail) {
    return new TusException(ErrorCode.INVALID_CONCAT, detail);
  }
}
