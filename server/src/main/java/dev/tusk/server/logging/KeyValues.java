package dev.tusk.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * The {@code %kv} conversion word of tusk's text log format: an event's key-value pairs in logfmt,
 * each preceded by a space ({@code " method=PATCH status=204"}), or nothing when there are none.
 *
 * <p>Replaces {@code %replace( %kvp{NONE}){'^ $', ''}}, whose regular expression ran on every line
 * and cost a quarter of the throughput of small uploads at log level INFO (bench {@code small}).
 * Unlike {@code %kvp}, a value that contains a space, a quote, an equals sign or a control
 * character is written in double quotes with {@code \"}, {@code \\}, {@code \n}, {@code \r},
 * {@code \t} and {@code \}{@code u00XX} escapes (every control character of {@link LogText}: C0,
 * DEL, C1, U+2028, U+2029), so a client-supplied value can neither forge a second line nor a key.
 */
public final class KeyValues extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null || pairs.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(pairs.size() * 24);
    for (KeyValuePair pair : pairs) {
      out.append(' ').append(pair.key).append('=');
      append(out, String.valueOf(pair.value));
    }
    return out.toString();
  }

  /** Appends {@code value} bare when it is safe to, else quoted and escaped. */
  static void append(StringBuilder out, String value) {
    if (!value.isEmpty() && bare(value)) {
      out.append(value);
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (LogText.isControl(c)) {
            LogText.appendEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean bare(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '"' || c == '=' || c == '\\' || LogText.isControl(c)) {
        return false;
      }
    }
    return true;
  }
}
