package dev.tusk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestObserverTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0.0",
    "49999, 0.0",
    "50000, 0.1",
    "1250000, 1.3",
    "1249999, 1.2",
    "999950000, 1000.0",
    "23456789012, 23456.8",
    "-5, 0.0"
  })
  void millis_hasOneDecimalRoundedHalfUp(long nanos, String expected) {
    assertThat(RequestObserver.millis(nanos)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"1", "77777", "149999", "8123456", "60000000000"})
  void millis_agreesWithStringFormatAwayFromTies(long nanos) {
    String formatted = String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    assertThat(RequestObserver.millis(nanos)).isEqualTo(formatted);
  }
}
