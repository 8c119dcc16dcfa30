package dev.tusk.server.protocol;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which media type a download is served as, and whether it may be shown inline. The type a client
 * declared ({@code filetype} or {@code contentType} metadata, or the {@code Content-Type} of a
 * single-request upload) is only a claim: it is served only when it is on {@link #SERVED}, and
 * {@code inline} only when it is on {@link #INLINE}. Anything a browser could execute or render as
 * a document — HTML, SVG, XML, JavaScript, CSS — is on neither and goes out as {@code
 * application/octet-stream}, always as an attachment, always with {@code nosniff}.
 */
public final class ContentTypes {
  public static final String OCTET_STREAM = "application/octet-stream";

  /** Types a browser renders passively (no script): the only ones that may be served inline. */
  public static final Set<String> INLINE =
      Set.of(
          "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
          "audio/mpeg", "audio/ogg", "audio/wav", "audio/webm", "audio/aac", "audio/flac",
          "audio/mp4", "video/mp4", "video/webm", "video/ogg", "application/pdf", "text/plain");

  /** Types served as declared (as attachments unless also on {@link #INLINE}). */
  public static final Set<String> SERVED =
      union(
          INLINE,
          Set.of(
              "image/tiff", "image/heic", "image/heif", "video/quicktime", "video/x-matroska",
              "text/csv", "text/markdown", "application/json", "application/zip",
              "application/gzip", "application/x-tar", "application/x-7z-compressed",
              "application/x-bzip2", "application/x-xz", "application/zstd", "application/msword",
              "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "application/vnd.openxmlformats-officedocument.presentationml.presentation",
              "application/vnd.oasis.opendocument.text",
              "application/vnd.oasis.opendocument.spreadsheet", OCTET_STREAM));

  private static final Pattern TOKEN = Pattern.compile("[a-z0-9!#$&^_.+-]{1,127}");
  private static final Pattern CHARSET = Pattern.compile("[a-z0-9._:-]{1,40}");

  private ContentTypes() {}

  /** The media type a client declared in metadata: {@code filetype}, else {@code contentType}. */
  public static Optional<String> declared(Map<String, String> metadata) {
    String type = metadata.get("filetype");
    if (type == null || type.isBlank()) {
      type = metadata.get("contentType");
    }
    return type == null || type.isBlank() ? Optional.empty() : Optional.of(type);
  }

  /**
   * The {@code Content-Type} to send for a declared type: the declared {@code type/subtype}
   * (lower-cased, parameters dropped except a plain {@code charset} of a {@code text/*} type) if it
   * is on {@link #SERVED}, {@link #OCTET_STREAM} otherwise.
   */
  public static String forResponse(Optional<String> declared) {
    if (declared.isEmpty()) {
      return OCTET_STREAM;
    }
    String[] parts = declared.get().split(";", -1);
    String media = parts[0].strip().toLowerCase(Locale.ROOT);
    int slash = media.indexOf('/');
    if (slash < 0
        || !TOKEN.matcher(media.substring(0, slash)).matches()
        || !TOKEN.matcher(media.substring(slash + 1)).matches()
        || !SERVED.contains(media)) {
      return OCTET_STREAM;
    }
    if (media.startsWith("text/")) {
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
          String charset = kv[1].strip().replace("\"", "").toLowerCase(Locale.ROOT);
          if (CHARSET.matcher(charset).matches()) {
            return media + "; charset=" + charset;
          }
        }
      }
    }
    return media;
  }

  /** True if a response of {@code responseType} (from {@link #forResponse}) may be shown inline. */
  public static boolean inline(String responseType) {
    int semicolon = responseType.indexOf(';');
    return INLINE.contains(semicolon < 0 ? responseType : responseType.substring(0, semicolon));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
