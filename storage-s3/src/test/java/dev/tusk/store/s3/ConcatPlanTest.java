package dev.tusk.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.store.s3.ConcatPlan.Source;
import dev.tusk.store.s3.ConcatPlan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConcatPlanTest {
  private static final long MIB = S3StoreConfig.MIB;
  private static final long GIB = 1024 * MIB;
  private static final long PART = 5 * MIB;

  /** Sizes of the partials, and the expected steps as "c:length" (copy) or "s:length" (stream). */
  record Case(String name, List<Long> sizes, List<String> steps, int parts) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "all large",
            List.of(5 * MIB, 6 * MIB, 7 * MIB),
            List.of("c:5242880", "c:6291456", "c:7340032"),
            3),
        new Case("small last is copied", List.of(6 * MIB, 3L), List.of("c:6291456", "c:3"), 2),
        new Case(
            "all small", List.of(MIB, 2 * MIB, 3L), List.of("s:1048576", "s:2097152", "s:3"), 1),
        new Case(
            "small after large",
            List.of(6 * MIB, 3L, 70_000L),
            List.of("c:6291456", "s:3", "s:70000"),
            2),
        new Case(
            "large after small fills the buffer, then copies",
            List.of(MIB, 12 * MIB, 2 * MIB),
            List.of("s:1048576", "s:4194304", "c:8388608", "c:2097152"),
            3),
        new Case("empty partials are skipped", List.of(0L, 6 * MIB, 0L), List.of("c:6291456"), 1),
        new Case(
            "a partial over 5 GiB is copied in pieces of at most 5 GiB",
            List.of(5 * GIB + 2 * MIB),
            List.of("c:" + (5 * GIB - 3 * MIB), "c:" + PART),
            2));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void plan_matchesTable(Case c) {
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < c.sizes().size(); i++) {
      sources.add(new Source("k" + i, c.sizes().get(i)));
    }
    ConcatPlan plan = ConcatPlan.of(sources, PART);
    assertThat(plan.steps())
        .extracting(ConcatPlanTest::describe)
        .containsExactlyElementsOf(c.steps());
    assertThat(plan.parts()).isEqualTo(c.parts());
    long total = c.sizes().stream().mapToLong(Long::longValue).sum();
    assertThat(plan.copiedBytes() + plan.streamedBytes()).isEqualTo(total);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void plan_everyPartButTheLastIsAtLeast5MiB(Case c) {
    List<Source> sources = c.sizes().stream().map(s -> new Source("k", s)).toList();
    List<Long> parts = partSizes(ConcatPlan.of(sources, PART));
    for (int i = 0; i + 1 < parts.size(); i++) {
      assertThat(parts.get(i)).isGreaterThanOrEqualTo(S3StoreConfig.MIN_PART_SIZE);
    }
  }

  @Test
  void plan_moreThan10000Parts_streamsEverything() {
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      sources.add(new Source("k" + i, 5 * MIB));
    }
    ConcatPlan plan = ConcatPlan.of(sources, 64 * MIB);
    assertThat(plan.copiedBytes()).isZero();
    assertThat(plan.parts()).isEqualTo(782); // 10,001 x 5 MiB in 64 MiB parts
  }

  /** Replays the steps the way PartWriter cuts parts. */
  private static List<Long> partSizes(ConcatPlan plan) {
    List<Long> parts = new ArrayList<>();
    long buffered = 0;
    for (Step step : plan.steps()) {
      if (step.copy()) {
        assertThat(buffered).isZero();
        parts.add(step.length());
      } else {
        buffered += step.length();
        while (buffered >= PART) {
          parts.add(PART);
          buffered -= PART;
        }
      }
    }
    if (buffered > 0) {
      parts.add(buffered);
    }
    assertThat(parts).hasSize(plan.parts());
    return parts;
  }

  private static String describe(Step step) {
    return (step.copy() ? "c:" : "s:") + step.length();
  }
}
