package dev.tusk.locker.redis;

import static dev.tusk.locker.redis.LockerFixture.assertCode;
import static dev.tusk.locker.redis.LockerFixture.failure;
import static dev.tusk.locker.redis.LockerFixture.millisSince;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration checks and behaviour with nothing listening: no redis-server needed. */
class RedisLockerTest {
  private static final Duration LEASE = Duration.ofSeconds(1);

  @ParameterizedTest
  @ValueSource(
      strings = {"http://127.0.0.1:6379", "redis://127.0.0.1", "redis:///0", "rediss://h:1"})
  void create_notARedisUrlWithHostAndPort_throwsNamingIt(String url) {
    assertThatThrownBy(() -> RedisLocker.create(URI.create(url), LEASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(url);
  }

  @Test
  void create_urlWithPassword_neverShowsItInErrors() {
    URI url = URI.create("redis://:hunter2@nowhere:1/0");
    assertThat(RedisCommands.redact(url)).isEqualTo("redis://nowhere:1/0");
  }

  @Test
  void create_leaseBelow100ms_throws() {
    URI url = URI.create("redis://127.0.0.1:6379");
    assertThatThrownBy(() -> RedisLocker.create(url, Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100 ms");
  }

  @Test
  void lock_negativeMaxWait_throwsAtOnce() throws IOException {
    try (RedisLocker locker = RedisLocker.create(nothingListening(), LEASE)) {
      assertThatThrownBy(() -> locker.lock(UploadId.random(), Duration.ofMillis(-1), () -> {}))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void lock_nothingListening_failsLockerUnavailablePromptly() throws IOException {
    URI url = nothingListening();
    try (RedisLocker locker = RedisLocker.create(url, LEASE)) {
      long start = System.nanoTime();

      TusException e =
          failure(
              locker.lock(UploadId.random(), Duration.ofSeconds(5), () -> {}),
              LEASE.multipliedBy(5));

      assertCode(e, ErrorCode.LOCKER_UNAVAILABLE);
      assertThat(e.detail()).contains(url.getHost() + ":" + url.getPort());
      assertThat(millisSince(start)).isLessThan(2_500);
    }
  }

  @Test
  void lock_afterClose_failsLockerUnavailable() throws IOException {
    RedisLocker locker = RedisLocker.create(nothingListening(), LEASE);
    locker.close();
    locker.close();

    TusException e = failure(locker.lock(UploadId.random(), Duration.ZERO, () -> {}), LEASE);

    assertCode(e, ErrorCode.LOCKER_UNAVAILABLE);
    assertThat(e.detail()).contains("closed");
  }

  private static URI nothingListening() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("redis://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
