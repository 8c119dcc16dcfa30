package dev.tusk.server.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.ByteArrayOutputStream;

/**
 * tusk's JSON log format: logback's {@link JsonEncoder}, one object per line, with the control
 * characters JSON allows raw inside strings escaped as well.
 *
 * <p>logback escapes quotes, backslashes and C0 (LF, CR, ESC, ...) in every string it writes —
 * message, key-value pairs, stack traces. DEL (U+007F), C1 (U+0080 to U+009F, with NEL and CSI)
 * and the line and paragraph separators U+2028 and U+2029 are legal raw in JSON, yet a terminal or
 * a line-oriented reader acts on them. Outside strings a JSON line is plain ASCII, so each such
 * character found in the encoded line is inside a string and is replaced by its {@code \}{@code
 * uXXXX} escape: the same JSON value, now without a single control character. Lines without one
 * (nearly all) are returned as logback wrote them.
 */
public final class JsonLineEncoder extends JsonEncoder {
  @Override
  public byte[] encode(ILoggingEvent event) {
    byte[] line = super.encode(event);
    return line == null ? null : escapeRawControls(line);
  }

  /** {@code utf8} with DEL, C1, U+2028 and U+2029 written as JSON escapes; the same array if none. */
  static byte[] escapeRawControls(byte[] utf8) {
    int i = firstRawControl(utf8, 0);
    if (i < 0) {
      return utf8;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length + 16);
    int copied = 0;
    while (i >= 0) {
      out.write(utf8, copied, i - copied);
      int width;
      char c;
      if (utf8[i] == 0x7f) {
        c = 0x7f;
        width = 1;
      } else if ((utf8[i] & 0xff) == 0xc2) {
        c = (char) (utf8[i + 1] & 0xff);
        width = 2;
      } else {
        c = (utf8[i + 2] & 0xff) == 0xa8 ? '\u2028' : '\u2029';
        width = 3;
      }
      out.writeBytes(String.format("\\u%04x", (int) c).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      copied = i + width;
      i = firstRawControl(utf8, copied);
    }
    out.write(utf8, copied, utf8.length - copied);
    return out.toByteArray();
  }

  /** The index where DEL, a C1 character (C2 80..9F) or U+2028/U+2029 (E2 80 A8/A9) starts, or -1. */
  private static int firstRawControl(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      int v = b[i] & 0xff;
      if (v == 0x7f) {
        return i;
      }
      if (v == 0xc2 && i + 1 < b.length && (b[i + 1] & 0xff) >= 0x80 && (b[i + 1] & 0xff) <= 0x9f) {
        return i;
      }
      if (v == 0xe2 && i + 2 < b.length && (b[i + 1] & 0xff) == 0x80
          && ((b[i + 2] & 0xff) == 0xa8 || (b[i + 2] & 0xff) == 0xa9)) {
        return i;
      }
    }
    return -1;
  }
}
