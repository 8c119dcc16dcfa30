package dev.tusk.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import org.junit.jupiter.api.Test;

class UploadCapsTest {
  @Test
  void acquire_beyondRequestCap_is429_andReleaseFreesIt() {
    UploadCaps caps = new UploadCaps(2, 0);
    caps.acquire("a", 10);
    caps.acquire("a", 10);
    caps.acquire("b", 10);
    assertThatThrownBy(() -> caps.acquire("a", 10))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
          assertThat(e.headers()).containsKey("Retry-After");
        });
    caps.release("a", 10);
    caps.acquire("a", 10);
    assertThat(caps.requests("a")).isEqualTo(2);
  }

  @Test
  void acquire_beyondByteCap_is429() {
    UploadCaps caps = new UploadCaps(0, 100);
    caps.acquire("a", 60);
    assertThatThrownBy(() -> caps.acquire("a", 41)).isInstanceOf(TusException.class);
    caps.acquire("a", 40);
    caps.release("a", 60);
    caps.release("a", 40);
    assertThat(caps.requests("a")).isZero();
    caps.acquire("a", -1); // chunked: no length, counts as a request only
    assertThat(caps.requests("a")).isEqualTo(1);
  }

  @Test
  void acquire_lengthWhoseSumOverflows_is429() {
    UploadCaps caps = new UploadCaps(0, 1_000);
    caps.acquire("a", 10);
    for (long huge : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 9, Long.MAX_VALUE - 5, 991}) {
      assertThatThrownBy(() -> caps.acquire("a", huge))
          .as("%d beside 10 in flight", huge)
          .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
    }
    assertThat(caps.requests("a")).isEqualTo(1);
    caps.acquire("a", 990);
    assertThat(caps.requests("a")).isEqualTo(2);
  }
}
