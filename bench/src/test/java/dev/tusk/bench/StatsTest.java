package dev.tusk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  private static Result result(int run, double mbPerS, boolean ok) {
    Result r = new Result("big", "tusk", run).put("mb_per_s", mbPerS);
    if (!ok) {
      r.fail("broken");
    }
    return r;
  }

  @Test
  void of_oddRuns_medianIsMiddleAndFailedRunsAreLeftOut() {
    List<Result> results = List.of(result(1, 300, true), result(2, 100, true),
        result(3, 200, true), result(4, 9999, false));

    Stats stats = Stats.of(results, "big", "tusk", "mb_per_s").orElseThrow();

    assertThat(stats).isEqualTo(new Stats(200, 100, 300, 3));
    assertThat(stats.cell()).isEqualTo("200 [100–300]");
  }

  @Test
  void of_evenRuns_medianIsMeanOfMiddlePair() {
    List<Result> results = List.of(result(1, 1, true), result(2, 3, true));

    assertThat(Stats.of(results, "big", "tusk", "mb_per_s").orElseThrow().median()).isEqualTo(2);
  }

  @Test
  void of_noRuns_isEmpty() {
    assertThat(Stats.of(List.of(), "big", "tusk", "mb_per_s")).isEmpty();
  }
}
