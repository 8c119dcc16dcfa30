package dev.tusk.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a body on N platform threads (one per connection) and waits for all of them within a
 * deadline; threads still running then are interrupted, which closes the channel they block on.
 */
final class Workers {
  private Workers() {}

  @FunctionalInterface
  interface Body {
    void run(int index) throws Exception;
  }

  static void run(String name, int threads, Duration timeout, Body body) throws Exception {
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread[] all = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      int index = i;
      all[i] =
          new Thread(
              () -> {
                try {
                  body.run(index);
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                }
              },
              name + "-" + i);
      all[i].setDaemon(true);
      all[i].start();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean late = false;
    for (Thread t : all) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      t.join(left);
      if (t.isAlive()) {
        late = true;
        t.interrupt();
      }
    }
    if (late) {
      for (Thread t : all) {
        t.join(5_000);
      }
      throw new java.util.concurrent.TimeoutException(
          name + " did not finish within " + timeout.toSeconds() + " s");
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
