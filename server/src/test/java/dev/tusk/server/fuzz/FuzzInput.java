package dev.tusk.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.TusException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Helpers shared by the fuzz tests ({@code *FuzzTest}, Jazzer {@code @FuzzTest}). A fuzz input is
 * raw bytes so that a seed file reads as what a client sends: {@link #fields} cuts it at line
 * feeds into header values, decoded as ISO-8859-1 (one char per byte, as Undertow hands request
 * headers to the handlers).
 */
public final class FuzzInput {
  /**
   * How long one fuzzing run ({@code JAZZER_FUZZ=1}) of one target lasts. The corpus it grows is
   * kept under the module's {@code .cifuzz-corpus/}, so a run repeated in a loop goes on where the
   * last one stopped. Regression runs (every build) do not use it.
   */
  public static final String MAX_DURATION = "1m";

  private FuzzInput() {}

  /**
   * The first {@code n} fields of {@code data}, separated by {@code \n}; the last field takes the
   * rest (line feeds included). A field the input does not reach is null, like an absent header.
   */
  public static String[] fields(byte[] data, int n) {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    String[] out = new String[n];
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (start > text.length()) {
        break;
      }
      int lf = i == n - 1 ? -1 : text.indexOf('\n', start);
      out[i] = lf < 0 ? text.substring(start) : text.substring(start, lf);
      start = lf < 0 ? text.length() + 1 : lf + 1;
    }
    return out;
  }

  /** The whole input as one header value. */
  public static String text(byte[] data) {
    return new String(data, StandardCharsets.ISO_8859_1);
  }

  /** A decimal long from the leading digits of {@code field} (saturating), {@code fallback} if none. */
  public static long number(String field, long fallback) {
    if (field == null) {
      return fallback;
    }
    long value = 0;
    int digits = 0;
    for (int i = 0; i < field.length() && Character.isDigit(field.charAt(i)) && field.charAt(i) < 0x80; i++) {
      int d = field.charAt(i) - '0';
      value = value > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : value * 10 + d;
      digits++;
    }
    return digits == 0 ? fallback : value;
  }

  /**
   * The property of every value the server builds for a response header: printable ASCII only
   * (no CR, LF, NUL or other control character, nothing above 0x7e that an encoder could fold into
   * one), so no client input can split or forge a header.
   */
  public static void assertHeaderSafe(String value) {
    assertThat(value.chars().allMatch(c -> c >= 0x20 && c < 0x7f))
        .as("header value %s must be printable ASCII", Arrays.toString(value.toCharArray()))
        .isTrue();
  }

  /** The property of a rejected client input: a client error (4xx), never a server error. */
  public static void assertClientError(TusException e) {
    assertThat(e.status()).as("%s: %s", e.code(), e.getMessage()).isBetween(400, 499);
  }
}
