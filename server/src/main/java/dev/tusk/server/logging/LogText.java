package dev.tusk.server.logging;

/**
 * Escaping of text that may carry client input (a request path, a header value, an exception
 * message) before it reaches a log line. Thread-safe; stateless.
 *
 * <p>A control character is one a terminal or a line-oriented log reader acts on: C0 (U+0000 to
 * U+001F, which includes LF, CR, TAB and ESC), DEL (U+007F), C1 (U+0080 to U+009F, which includes
 * NEL and CSI) and the Unicode line and paragraph separators U+2028 and U+2029. Escaped, LF, CR
 * and TAB become {@code \n}, {@code \r} and {@code \t}, every other one {@code \}{@code u00XX};
 * the rest of the text is kept as it is, so a client can neither end a line nor start one, nor
 * send a terminal escape sequence.
 */
public final class LogText {
  private LogText() {}

  /** True if {@code c} is a control character in the sense of this class. */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  /** {@code text} with every control character escaped; the same instance if it has none. */
  public static String escapeControls(String text) {
    if (text == null) {
      return null;
    }
    int first = firstControl(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isControl(c)) {
        appendEscape(out, c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Appends the escape of the control character {@code c}. */
  static void appendEscape(StringBuilder out, char c) {
    switch (c) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        for (int pad = hex.length(); pad < 4; pad++) {
          out.append('0');
        }
        out.append(hex);
      }
    }
  }

  private static int firstControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
