package dev.tusk.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3StoreConfigTest {
  private static final long MIB = S3StoreConfig.MIB;
  private final S3StoreConfig defaults = S3StoreConfig.defaults("bucket");

  @Test
  void defaults_areValid_andInfoPrefixFallsBackToKeyPrefix() {
    S3StoreConfig config = defaults.withPrefixes("uploads/", Optional.empty());
    assertThat(config.effectiveInfoPrefix()).isEqualTo("uploads/");
    assertThat(config.withPrefixes("u/", Optional.of("meta/")).effectiveInfoPrefix())
        .isEqualTo("meta/");
    assertThat(config.offsetCache()).isTrue();
  }

  @Test
  void partSize_below5MiB_isRejectedWithTheValue() {
    assertThatThrownBy(() -> defaults.withParts(4 * MIB, MIB, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part size")
        .hasMessageContaining(Long.toString(4 * MIB));
  }

  @Test
  void tempBudget_smallerThanTheLargestPart_isRejected() {
    // 5 TiB uploads need 525 MiB parts
    assertThatThrownBy(() -> defaults.withTemp(Path.of("/tmp/x"), 100 * MIB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temp budget")
        .hasMessageContaining("550502400");
  }

  @Test
  void blankBucket_leadingSlashPrefix_zeroInFlight_areRejected() {
    assertThatThrownBy(() -> S3StoreConfig.defaults(" ")).hasMessageContaining("bucket");
    assertThatThrownBy(() -> defaults.withPrefixes("/x", Optional.empty()))
        .hasMessageContaining("'/x'");
    assertThatThrownBy(() -> defaults.withParts(5 * MIB, MIB, 0)).hasMessageContaining("in flight");
  }

  @Test
  void credentials_neverPrintTheSecret() {
    assertThat(new S3Credentials("AKIA", "s3cr3t").toString()).doesNotContain("s3cr3t");
  }

  @Test
  void checksumMode_parsesConfigSpellings() {
    assertThat(ChecksumMode.parse("when_required")).isEqualTo(ChecksumMode.WHEN_REQUIRED);
    assertThat(ChecksumMode.parse("WHEN-SUPPORTED")).isEqualTo(ChecksumMode.WHEN_SUPPORTED);
    assertThatThrownBy(() -> ChecksumMode.parse("always")).hasMessageContaining("'always'");
  }
}
