package dev.tusk.server.options;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static dev.tusk.server.fuzz.FuzzInput.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Fuzz tests of the option value parsers (sizes like {@code 10GiB}, durations like {@code 24h}):
 * a value is parsed or refused with {@link IllegalArgumentException}, whose message the
 * configuration reports with the option's name; nothing else escapes. Seeds: {@code
 * src/test/resources/dev/tusk/server/config/ValuesFuzzTestInputs/<method>/}.
 */
class ValuesFuzzTest {

  /** A size: a non-negative number of bytes that reads back from its plain decimal form. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void size(byte[] data) {
    long size;
    try {
      size = Values.size(text(data));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(size).isNotNegative();
    assertThat(Values.size(Long.toString(size))).isEqualTo(size);
  }

  /** A duration: one that reads back from its ISO-8601 form. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void duration(byte[] data) {
    Duration duration;
    try {
      duration = Values.duration(text(data));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(Values.duration(duration.toString())).isEqualTo(duration);
  }
}
