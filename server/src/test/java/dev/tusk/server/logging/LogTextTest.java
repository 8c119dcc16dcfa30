package dev.tusk.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void escapeControls_plainText_isTheSameInstance() {
    String plain = "request rejected path=/files/abc détail \u2713 \\n";
    assertThat(LogText.escapeControls(plain)).isSameAs(plain);
    assertThat(LogText.escapeControls(null)).isNull();
  }

  @Test
  void escapeControls_everyControlCharacter_isEscaped() {
    assertThat(LogText.escapeControls("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
    assertThat(LogText.escapeControls("\u0000\u001b[2J\u007f\u0085\u009b\u2028\u2029x"))
        .isEqualTo("\\u0000\\u001b[2J\\u007f\\u0085\\u009b\\u2028\\u2029x");
  }

  @Test
  void escapeControls_anyText_hasNoControlCharacterLeft_andUnescapesToItself() {
    Random random = new Random(2);
    for (int i = 0; i < 10_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int j = random.nextInt(40); j > 0; j--) {
        char c = (char) (random.nextBoolean() ? random.nextInt(0xa0) : random.nextInt(0x10000));
        s.append(c == '\\' ? 'x' : c);
      }
      String escaped = LogText.escapeControls(s.toString());
      assertThat(escaped.chars().noneMatch(c -> LogText.isControl((char) c))).as("escaped %s", escaped).isTrue();
      assertThat(unescape(escaped)).isEqualTo(s.toString());
    }
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char kind = s.charAt(++i);
      switch (kind) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        default -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
      }
    }
    return out.toString();
  }
}
