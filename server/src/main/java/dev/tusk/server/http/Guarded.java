package dev.tusk.server.http;

import io.undertow.server.HttpServerExchange;

/**
 * Runs work for an exchange so that any failure reaches {@link Problems#send} (an exception
 * escaping a dispatched task would otherwise become a bare 500 or a hung exchange).
 */
public final class Guarded {
  /** Work that may throw anything. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  private Guarded() {}

  public static Runnable task(HttpServerExchange exchange, Work work) {
    return () -> run(exchange, work);
  }

  public static void run(HttpServerExchange exchange, Work work) {
    try {
      work.run();
    } catch (Throwable t) {
      Problems.send(exchange, t);
    }
  }
}
