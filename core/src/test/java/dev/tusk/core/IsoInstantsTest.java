package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
  @Test
  void format_fractionInGroupsOfThree_likeInstantToString() {
    Instant second = Instant.parse("2026-11-24T06:00:00Z");
    assertThat(IsoInstants.format(second)).isEqualTo("2026-11-24T06:00:00Z");
    assertThat(IsoInstants.format(second.plusMillis(120))).isEqualTo("2026-11-24T06:00:00.120Z");
    assertThat(IsoInstants.format(second.plusNanos(1_000))).isEqualTo("2026-11-24T06:00:00.000001Z");
    assertThat(IsoInstants.format(second.plusNanos(123_456_780)))
        .isEqualTo("2026-11-24T06:00:00.123456780Z");
    assertThat(IsoInstants.format(second.plusNanos(999_999_999)))
        .isEqualTo("2026-11-24T06:00:00.999999999Z");
  }

  @Test
  void format_twoSecondsThatShareARecentSlot_eachKeepItsOwnText() {
    Instant a = Instant.parse("2026-11-24T06:00:00.5Z");
    Instant b = a.plusSeconds(64); // the same slot of the table of recent seconds
    for (int i = 0; i < 3; i++) {
      assertThat(IsoInstants.format(a)).isEqualTo("2026-11-24T06:00:00.500Z");
      assertThat(IsoInstants.format(b)).isEqualTo("2026-11-24T06:01:04.500Z");
    }
  }

  @Test
  void format_agreesWithInstantToString_forRandomInstants_includingFarYears() {
    SplittableRandom random = new SplittableRandom(12);
    long[] bounds = {0, 4_000_000_000L, Instant.MAX.getEpochSecond()};
    for (int i = 0; i < 6_000; i++) {
      long bound = bounds[i % bounds.length];
      long second = bound == 0 ? random.nextLong(-62_000_000_000L, 0) : random.nextLong(0, bound);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant instant = Instant.ofEpochSecond(second, nanos);
      assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
      // the same second again comes from the table and must still agree
      assertThat(IsoInstants.format(instant.plusNanos(1))).isEqualTo(instant.plusNanos(1).toString());
    }
  }
}
