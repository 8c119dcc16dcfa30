package dev.tusk.server.protocol;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Optional;

/**
 * The {@code Content-Disposition} of a download (RFC 6266, with RFC 8187 {@code filename*}).
 *
 * <p>The client-supplied name is first reduced to something safe to hand to a browser: only its
 * last path segment is kept; control characters (C0, DEL, C1) and invisible format characters
 * (bidi overrides such as U+202E, zero-width characters) are removed; it is trimmed and cut to
 * {@value #MAX_CODE_POINTS} code points; {@code .} and {@code ..} count as no name. Then:
 *
 * <ul>
 *   <li>{@code filename="..."} is an ASCII fallback: accents are stripped ({@code é} → {@code e}),
 *       every other non-ASCII character and {@code " \ ; %} become {@code _} (RFC 6266 appendix
 *       D: avoid {@code %} and backslashes in {@code filename}), so the quoted-string can never be
 *       broken out of;
 *   <li>{@code filename*=UTF-8''...} carries the exact name, percent-encoded except RFC 8187
 *       {@code attr-char}s, and is only sent when the fallback differs from the name.
 * </ul>
 */
public final class ContentDisposition {
  static final int MAX_CODE_POINTS = 200;

  private ContentDisposition() {}

  /**
   * The header value.
   *
   * @param inline {@code inline} instead of {@code attachment}; the caller decides whether the
   *     type allows it
   * @param filename the client's name for the file, if any
   */
  public static String format(boolean inline, Optional<String> filename) {
    String type = inline ? "inline" : "attachment";
    String name = filename.map(ContentDisposition::sanitize).orElse("");
    if (name.isEmpty()) {
      return type;
    }
    String fallback = asciiFallback(name);
    StringBuilder value = new StringBuilder(type).append("; filename=\"").append(fallback).append('"');
    if (!fallback.equals(name)) {
      value.append("; filename*=UTF-8''").append(percentEncode(name));
    }
    return value.toString();
  }

  /** The last path segment without control or format characters, trimmed and bounded. */
  static String sanitize(String raw) {
    int cut = Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\'));
    String base = raw.substring(cut + 1);
    StringBuilder out = new StringBuilder();
    int kept = 0;
    for (int i = 0; i < base.length() && kept < MAX_CODE_POINTS; ) {
      int cp = base.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (Character.isISOControl(cp)
          || type == Character.FORMAT
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.SURROGATE
          || type == Character.UNASSIGNED) {
        continue;
      }
      out.appendCodePoint(cp);
      kept++;
    }
    String name = out.toString().strip();
    return name.equals(".") || name.equals("..") ? "" : name;
  }

  static String asciiFallback(String name) {
    String stripped = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    StringBuilder out = new StringBuilder();
    stripped
        .codePoints()
        .forEach(
            cp -> {
              boolean plain = cp >= 0x20 && cp < 0x7f && cp != '"' && cp != '\\' && cp != ';' && cp != '%';
              out.append(plain ? (char) cp : '_');
            });
    return out.toString();
  }

  /** RFC 8187 {@code value-chars}: UTF-8, every byte but an {@code attr-char} as {@code %XX}. */
  static String percentEncode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isAttrChar(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** RFC 8187: {@code attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"}. */
  private static boolean isAttrChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$&+-.^_`|~".indexOf(c) >= 0;
  }
}
