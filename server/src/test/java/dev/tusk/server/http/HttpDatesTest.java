package dev.tusk.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
  @Test
  void parse_yearOfFiveDigitsOrZero_isNoDate() {
    assertThat(HttpDates.parse("06 Nov 19941 08:49:07 GMT")).isEmpty();
    assertThat(HttpDates.parse("06 Nov 0 9:7 GMT")).isEmpty();
    assertThat(HttpDates.parse("Mon, 01 Jan 0001 00:00:00 GMT")).contains(Instant.parse("0001-01-01T00:00:00Z"));
    assertThat(HttpDates.parse("Fri, 31 Dec 9999 23:59:59 GMT"))
        .contains(Instant.parse("9999-12-31T23:59:59Z"));
  }

  @Test
  void format_isImfFixdate() {
    assertThat(HttpDates.format(Instant.parse("1994-11-06T08:49:37Z")))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDates.format(Instant.parse("2026-01-02T03:04:05.999999999Z")))
        .isEqualTo("Fri, 02 Jan 2026 03:04:05 GMT");
  }

  @Test
  void format_sameSecondDifferentFraction_sameText_andNextSecondItsOwn() {
    Instant second = Instant.parse("2026-11-23T10:00:00Z");
    assertThat(HttpDates.format(second.plusNanos(1)))
        .isEqualTo(HttpDates.format(second.plusMillis(999)))
        .isEqualTo("Mon, 23 Nov 2026 10:00:00 GMT");
    assertThat(HttpDates.format(second.plusSeconds(1))).isEqualTo("Mon, 23 Nov 2026 10:00:01 GMT");
    assertThat(HttpDates.format(second)).isEqualTo("Mon, 23 Nov 2026 10:00:00 GMT");
  }

  @Test
  void format_twoInstantsThatShareARecentSlot_eachKeepItsOwnText() {
    Instant a = Instant.parse("2026-11-23T10:00:00Z");
    Instant b = a.plusSeconds(64); // the same slot of the recently-formatted table
    for (int i = 0; i < 3; i++) {
      assertThat(HttpDates.format(a)).isEqualTo("Mon, 23 Nov 2026 10:00:00 GMT");
      assertThat(HttpDates.format(b)).isEqualTo("Mon, 23 Nov 2026 10:01:04 GMT");
    }
  }

  @Test
  void format_agreesWithRfc1123_forRandomInstants_inAnyOrder() {
    SplittableRandom random = new SplittableRandom(8);
    for (int i = 0; i < 2_000; i++) {
      long second = random.nextLong(0, 4_000_000_000L);
      Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
      String expected =
          DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
      // RFC_1123_DATE_TIME writes a one-digit day without padding; IMF-fixdate pads it
      expected = expected.replaceFirst("^(\\w{3}), (\\d) ", "$1, 0$2 ");
      assertThat(HttpDates.format(instant)).isEqualTo(expected);
      assertThat(HttpDates.parse(HttpDates.format(instant)))
          .contains(Instant.ofEpochSecond(second));
    }
  }
}
