package dev.tusk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3ScenarioTest {
  private final Payload payload = new Payload(1024, 7);

  @Test
  void payloadStream_readsTheStreamAcrossTheWrapOfThePattern() throws Exception {
    byte[] got;
    try (S3Scenario.PayloadStream in = new S3Scenario.PayloadStream(payload, 1000, 100)) {
      got = in.readAllBytes();
      assertThat(in.read()).isEqualTo(-1);
    }

    assertThat(got).hasSize(100);
    assertThat(payload.matches(ByteBuffer.wrap(got), 1000)).isTrue();
  }

  @Test
  void payloadStream_singleBytesAndAvailable() {
    S3Scenario.PayloadStream in = new S3Scenario.PayloadStream(payload, 5, 2);

    assertThat(in.available()).isEqualTo(2);
    int first = in.read();
    assertThat((byte) first).isEqualTo(payload.slice(5, 1).get());
    in.read();
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void tuskFlags_matchTheBaselinesPartSizeAndParallelism() {
    List<String> flags = S3Scenario.tuskS3Flags("http://127.0.0.1:1", Path.of("/t"),
        "WHEN_REQUIRED");

    assertThat(String.join(" ", flags)).contains("--store s3", "--s3-path-style",
        "--s3-part-size 16MiB", "--s3-parts-in-flight 4", "--s3-checksum-mode when_required",
        "--s3-temp-dir /t");
  }
}
