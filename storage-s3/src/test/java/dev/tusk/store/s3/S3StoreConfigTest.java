package dev.tusk.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3StoreConfigTest {
  private static final long MIB = S3StoreConfig.MIB;
  private static S3StoreConfig.Builder defaults() {
    return S3StoreConfig.builder("bucket");
  }

  @Test
  void defaults_areValid_andInfoPrefixFallsBackToKeyPrefix() {
    S3StoreConfig config = defaults().keyPrefix("uploads/").build();
    assertThat(config.effectiveInfoPrefix()).isEqualTo("uploads/");
    assertThat(config.toBuilder().keyPrefix("u/").infoPrefix(Optional.of("meta/")).build().effectiveInfoPrefix())
        .isEqualTo("meta/");
    assertThat(config.offsetCache()).isTrue();
  }

  @Test
  void toBuilder_keepsEveryValue() {
    S3StoreConfig config =
        S3StoreConfig.builder("b")
            .endpoint(URI.create("http://127.0.0.1:9000"))
            .pathStyle(true)
            .region("auto")
            .keyPrefix("k/")
            .infoPrefix(Optional.of("i/"))
            .credentials(new S3Credentials("AKIA", "secret"))
            .checksumMode(ChecksumMode.WHEN_REQUIRED)
            .partSize(6 * MIB)
            .maxUploadSize(2048 * MIB)
            .maxPartsInFlight(3)
            .tempDir(Path.of("/tmp/t"))
            .tempBudget(512 * MIB)
            .offsetCache(false)
            .callTimeout(Duration.ofSeconds(3))
            .build();
    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(config).isNotEqualTo(S3StoreConfig.defaults("b"));
  }

  @Test
  void partSize_below5MiB_isRejectedWithTheValue() {
    assertThatThrownBy(() -> defaults().partSize(4 * MIB).maxUploadSize(MIB).maxPartsInFlight(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("part size")
        .hasMessageContaining(Long.toString(4 * MIB));
  }

  @Test
  void tempBudget_smallerThanTheLargestPart_isRejected() {
    // 5 TiB uploads need 525 MiB parts
    assertThatThrownBy(() -> defaults().tempDir(Path.of("/tmp/x")).tempBudget(100 * MIB).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temp budget")
        .hasMessageContaining("550502400");
  }

  @Test
  void blankBucket_leadingSlashPrefix_zeroInFlight_areRejected() {
    assertThatThrownBy(() -> S3StoreConfig.defaults(" ")).hasMessageContaining("bucket");
    assertThatThrownBy(() -> defaults().keyPrefix("/x").build())
        .hasMessageContaining("'/x'");
    assertThatThrownBy(() -> defaults().partSize(5 * MIB).maxUploadSize(MIB).maxPartsInFlight(0).build())
        .hasMessageContaining("in flight");
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
