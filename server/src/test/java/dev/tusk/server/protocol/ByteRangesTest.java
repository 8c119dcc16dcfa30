package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.protocol.ByteRanges.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ByteRangesTest {
  record Case(String header, long length, Kind kind, List<ByteRange> ranges) {
    @Override
    public String toString() {
      return header + " of " + length + " -> " + kind + " " + ranges;
    }
  }

  static Case c(String header, long length, Kind kind, long... bounds) {
    ByteRange[] ranges = new ByteRange[bounds.length / 2];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = new ByteRange(bounds[2 * i], bounds[2 * i + 1]);
    }
    return new Case(header, length, kind, Arrays.asList(ranges));
  }

  static Stream<Case> cases() {
    return Stream.of(
        // absent, other units and invalid specifiers are ignored: the whole body
        c(null, 100, Kind.FULL),
        c("items=0-5", 100, Kind.FULL),
        c("bytes=", 100, Kind.FULL),
        c("bytes=,", 100, Kind.FULL),
        c("bytes=abc", 100, Kind.FULL),
        c("bytes=a-5", 100, Kind.FULL),
        c("bytes=0-x", 100, Kind.FULL),
        c("bytes=5-2", 100, Kind.FULL),
        c("bytes=0-1,5-2", 100, Kind.FULL),
        c("bytes=-", 100, Kind.FULL),
        c("bytes=1-2-3", 100, Kind.FULL),
        c("bytes=+1-2", 100, Kind.FULL),
        c("bytes=0 -1", 100, Kind.FULL),
        c("0-5", 100, Kind.FULL),
        // single ranges
        c("bytes=0-0", 100, Kind.SINGLE, 0, 0),
        c("bytes=99-99", 100, Kind.SINGLE, 99, 99),
        c("bytes=10-19", 100, Kind.SINGLE, 10, 19),
        c("BYTES=10-19", 100, Kind.SINGLE, 10, 19),
        c("bytes = 10-19", 100, Kind.SINGLE, 10, 19),
        c("bytes=50-", 100, Kind.SINGLE, 50, 99),
        c("bytes=0-", 100, Kind.SINGLE, 0, 99),
        c("bytes=90-1000", 100, Kind.SINGLE, 90, 99),
        c("bytes=0-99999999999999999999999", 100, Kind.SINGLE, 0, 99),
        c("bytes=-1", 100, Kind.SINGLE, 99, 99),
        c("bytes=-10", 100, Kind.SINGLE, 90, 99),
        c("bytes=-500", 100, Kind.SINGLE, 0, 99),
        c("bytes=, 10-19 ,", 100, Kind.SINGLE, 10, 19),
        // an unsatisfiable spec beside a satisfiable one is dropped
        c("bytes=200-300, 10-19", 100, Kind.SINGLE, 10, 19),
        c("bytes=-0, 10-19", 100, Kind.SINGLE, 10, 19),
        // unsatisfiable
        c("bytes=100-", 100, Kind.UNSATISFIABLE),
        c("bytes=100-200", 100, Kind.UNSATISFIABLE),
        c("bytes=-0", 100, Kind.UNSATISFIABLE),
        c("bytes=99999999999999999999999-", 100, Kind.UNSATISFIABLE),
        c("bytes=0-0", 0, Kind.UNSATISFIABLE),
        c("bytes=100-200,300-400", 100, Kind.UNSATISFIABLE),
        // a suffix of an empty representation selects all of it
        c("bytes=-5", 0, Kind.FULL),
        // several ranges: coalesced, kept in request order
        c("bytes=0-0,-1", 100, Kind.MULTIPART, 0, 0, 99, 99),
        c("bytes=-1,0-0", 100, Kind.MULTIPART, 99, 99, 0, 0),
        c("bytes=10-19,40-49", 100, Kind.MULTIPART, 10, 19, 40, 49),
        c("bytes=40-49,10-19,15-25", 100, Kind.MULTIPART, 40, 49, 10, 25),
        c("bytes=0-4,5-9", 100, Kind.SINGLE, 0, 9),
        c("bytes=0-9,5-14", 100, Kind.SINGLE, 0, 14),
        c("bytes=10-19,12-15", 100, Kind.SINGLE, 10, 19),
        // several ranges covering most of the file: the whole is cheaper
        c("bytes=0-39,50-89", 100, Kind.FULL),
        c("bytes=0-39,50-88", 100, Kind.MULTIPART, 0, 39, 50, 88),
        c("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,22-22,24-24,26-26,28-28,30-30",
            100, Kind.MULTIPART, 0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14, 14, 16, 16, 18, 18,
            20, 20, 22, 22, 24, 24, 26, 26, 28, 28, 30, 30),
        c("bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,22-22,24-24,26-26,28-28,30-30,32-32",
            100, Kind.FULL));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void plan_table(Case c) {
    ByteRanges plan = ByteRanges.plan(c.header(), c.length());
    assertThat(plan.kind()).isEqualTo(c.kind());
    assertThat(plan.ranges()).isEqualTo(c.ranges());
  }

  @Test
  void plan_moreSpecsThanExamined_servesWhole() {
    StringBuilder header = new StringBuilder("bytes=");
    for (int i = 0; i <= ByteRanges.MAX_SPECS; i++) {
      header.append(i == 0 ? "" : ",").append("0-0");
    }
    assertThat(ByteRanges.plan(header.toString(), 1000).kind()).isEqualTo(Kind.FULL);
  }

  @Test
  void contentRange_formatsFirstLastAndLength() {
    assertThat(new ByteRange(0, 0).contentRange(10)).isEqualTo("bytes 0-0/10");
    assertThat(new ByteRange(3, 9).length()).isEqualTo(7);
  }
}
