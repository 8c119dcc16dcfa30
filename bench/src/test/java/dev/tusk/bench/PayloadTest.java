package dev.tusk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PayloadTest {
  private final Payload payload = new Payload(1024, 7);

  @Test
  void matches_bytesAcrossTheWrap_areRecognised() {
    ByteBuffer got = ByteBuffer.allocate(100);
    got.put(payload.slice(1000, 24)).put(payload.slice(0, 76)).flip();

    assertThat(payload.matches(got, 1000)).isTrue();
    assertThat(payload.matches(got, 1000 + 1024 * 5)).isTrue();
    assertThat(payload.matches(got, 999)).isFalse();
  }

  @Test
  void matches_oneFlippedByte_isRejected() {
    ByteBuffer got = ByteBuffer.allocate(64);
    got.put(payload.slice(10, 64)).flip();
    got.put(20, (byte) (got.get(20) ^ 1));

    assertThat(payload.matches(got, 10)).isFalse();
  }
}
