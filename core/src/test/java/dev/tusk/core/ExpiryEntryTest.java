package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiryEntryTest {
  private static final UploadId ID = new UploadId("0123456789abcdef");

  @ParameterizedTest
  @CsvSource({
    "2026-11-24T10:07:59.999Z, 20261124T1007",
    "2026-11-24T10:07:00Z,     20261124T1007",
    "2026-01-01T00:00:00Z,     20260101T0000",
    "-0005-01-01T00:00:00Z,    00010101T0000",
    "+12026-01-01T00:00:00Z,   99991231T2359",
  })
  void bucketName_isTheUtcMinute_clampedToFourDigitYears(String expires, String name) {
    ExpiryEntry entry = ExpiryEntry.of(ID, Instant.parse(expires));

    assertThat(entry.bucketName()).isEqualTo(name);
    assertThat(ExpiryEntry.parseBucket(name)).contains(entry.bucket());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "20261124T107", "20261124T10070", "20261324T1007", "20261124T2460", "2026-11-24T1007",
        "20261124t1007", "../20261124T1007", "20261124T1007/", "20260230T1000"
      })
  void parseBucket_anyOtherName_isEmpty(String name) {
    assertThat(ExpiryEntry.parseBucket(name)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "2026-11-24T10:06:59.999Z, false",
    "2026-11-24T10:07:00Z,     true",
    "2026-11-24T10:07:30Z,     true",
    "2026-11-25T00:00:00Z,     true",
  })
  void isDue_onceTheBucketHasBegun(String now, boolean due) {
    ExpiryEntry entry = ExpiryEntry.of(ID, Instant.parse("2026-11-24T10:07:30Z"));

    assertThat(entry.isDue(Instant.parse(now))).isEqualTo(due);
  }

  @org.junit.jupiter.api.Test
  void of_keptUpload_isEmpty_andABucketMustStartAMinute() {
    UploadInfo kept =
        UploadInfo.draft(ID, java.util.OptionalLong.of(1), java.util.Map.of(), Instant.EPOCH, Optional.empty());

    assertThat(ExpiryEntry.of(kept)).isEmpty();
    assertThatThrownBy(() -> new ExpiryEntry(ID, Instant.parse("2026-11-24T10:07:30Z")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
