package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamedThreadsTest {
  @Test
  void threads_areNamedByRoleAndCountedPerFactory() {
    NamedThreads storage = NamedThreads.daemon("storage");
    assertThat(storage.newThread(() -> {}).getName()).isEqualTo("tusk-storage-1");
    assertThat(storage.newThread(() -> {}).getName()).isEqualTo("tusk-storage-2");
    assertThat(NamedThreads.daemon("storage").newThread(() -> {}).getName()).isEqualTo("tusk-storage-1");
  }

  @Test
  void daemonFlag_followsTheFactory() {
    assertThat(NamedThreads.daemon("a").newThread(() -> {}).isDaemon()).isTrue();
    assertThat(NamedThreads.nonDaemon("b").newThread(() -> {}).isDaemon()).isFalse();
  }

  @Test
  void anEscapingException_goesToTheFactorysHandler_notTheThreadGroup() throws Exception {
    Thread t = NamedThreads.daemon("failing").newThread(() -> {
      throw new IllegalStateException("boom");
    });
    assertThat(t.getUncaughtExceptionHandler()).isNotSameAs(t.getThreadGroup());
    t.start();
    t.join(5_000);
    assertThat(t.isAlive()).isFalse();
  }

  @Test
  void blankRole_isRejected() {
    assertThatThrownBy(() -> NamedThreads.daemon(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
