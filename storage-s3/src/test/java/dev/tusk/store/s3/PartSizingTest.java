package dev.tusk.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartSizingTest {
  private static final long MIB = S3StoreConfig.MIB;

  @ParameterizedTest
  @CsvSource({
    // preferred, total, expected
    "5242880, 1073741824, 5242880", // 1 GiB in 5 MiB parts: 205 parts
    "5242880, 52428800000, 5242880", // exactly 10,000 parts of 5 MiB
    "5242880, 52428800001, 6291456", // one byte more: 6 MiB parts
    "16777216, 5497558138880, 550502400", // 5 TiB: 525 MiB parts
    "104857600, 1000, 104857600", // a large preference is kept
  })
  void partSize_staysWithin10000Parts(long preferred, long total, long expected) {
    long size = PartSizing.partSize(preferred, total);
    assertThat(size).isEqualTo(expected);
    assertThat(PartSizing.ceilDiv(total, size)).isLessThanOrEqualTo(S3StoreConfig.MAX_PARTS);
  }

  @ParameterizedTest
  @CsvSource({
    // buffered, part number, offset after, limit, part size, allowed
    "4194304, 2, 100, 1000000000, 5242880, false", // below 5 MiB: stays a tail
    "6291456, 2, 6291456, 1073741824, 16777216, true", // plenty of part numbers left
    "6291456, 9999, 6291456, 52428800000, 5242880, false", // would run out of part numbers
  })
  void mayCutShortPart_keepsPartCountFeasible(
      long buffered, int number, long offsetAfter, long limit, long partSize, boolean allowed) {
    assertThat(PartSizing.mayCutShortPart(buffered, number, offsetAfter, limit, partSize))
        .isEqualTo(allowed);
  }
}
