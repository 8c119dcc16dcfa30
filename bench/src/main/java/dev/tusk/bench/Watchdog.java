package dev.tusk.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections whose current request passed its deadline, so that a blocking read or write on a
 * server that never answers ends with a timeout instead of hanging the benchmark. One daemon thread,
 * checking every 50 ms; thread-safe.
 */
final class Watchdog {
  private static final Set<HttpConnection> WATCHED = ConcurrentHashMap.newKeySet();

  static {
    Thread thread = new Thread(Watchdog::loop, "bench-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  private Watchdog() {}

  static void watch(HttpConnection connection) {
    WATCHED.add(connection);
  }

  static void forget(HttpConnection connection) {
    WATCHED.remove(connection);
  }

  private static void loop() {
    while (true) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (HttpConnection connection : WATCHED) {
        if (connection.expired(now)) {
          connection.abortOnTimeout();
        }
      }
    }
  }
}
