package dev.tusk.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void take_fullBucket_allowsCapacityThenRefuses() {
    TokenBucket bucket = new TokenBucket(3, 0);
    assertThat(bucket.take(0).remaining()).isEqualTo(2);
    assertThat(bucket.take(0).remaining()).isEqualTo(1);
    TokenBucket.Decision last = bucket.take(0);
    assertThat(last.allowed()).isTrue();
    assertThat(last.remaining()).isZero();
    TokenBucket.Decision refused = bucket.take(0);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.limit()).isEqualTo(3);
    // 3 a minute: one token every 20 s
    assertThat(refused.retryAfterSeconds()).isEqualTo(20);
    assertThat(refused.resetSeconds()).isEqualTo(60);
  }

  @Test
  void take_afterRetryAfter_allowsAgain() {
    TokenBucket bucket = new TokenBucket(60, 0);
    for (int i = 0; i < 60; i++) {
      assertThat(bucket.take(0).allowed()).isTrue();
    }
    assertThat(bucket.take(500).allowed()).isFalse();
    assertThat(bucket.take(1_000).allowed()).isTrue();
    assertThat(bucket.take(1_000).allowed()).isFalse();
  }

  @Test
  void take_longIdle_refillsOnlyToCapacity() {
    TokenBucket bucket = new TokenBucket(2, 0);
    bucket.take(0);
    bucket.take(0);
    long later = 3_600_000;
    assertThat(bucket.take(later).remaining()).isEqualTo(1);
    assertThat(bucket.take(later).allowed()).isTrue();
    assertThat(bucket.take(later).allowed()).isFalse();
  }

  @Test
  void take_clockGoingBackwards_neitherRefillsNorBreaks() {
    TokenBucket bucket = new TokenBucket(1, 10_000);
    assertThat(bucket.take(10_000).allowed()).isTrue();
    assertThat(bucket.take(0).allowed()).isFalse();
  }
}
