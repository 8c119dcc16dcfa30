package dev.tusk.server.logging;

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

  @ParameterizedTest
  @CsvSource({
    "/files/, /files/",
    "/files, /files/",
    "/metrics, other",
    "/files/abcdefgh, /files/{id}",
    "/files/abcdefgh/details, /files/{id}/details",
    "/files/abcdefgh/a-b, /files/{id}/a-b",
    "/files/abcdefgh/abcdefghijklmnopqrst, /files/{id}/abcdefghijklmnopqrst",
    "/files/abcdefgh/abcdefghijklmnopqrstu, /files/{id}/*",
    "/files/abcdefgh/-ab, /files/{id}/*",
    "/files/abcdefgh/Details, /files/{id}/*",
    "/files/abcdefgh/, /files/{id}/*",
    "/files/abcdefgh/a b, /files/{id}/*",
    "/files/abcdefgh/x/y, /files/{id}/*"
  })
  void route_replacesTheIdAndKeepsOnlyPlainSubResourceNames(String path, String expected) {
    RequestObserver observer = new RequestObserver(exchange -> {}, null, "/files/", true);
    assertThat(observer.route(path)).isEqualTo(expected);
  }
}
