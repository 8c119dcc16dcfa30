package dev.tusk.server.health;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.HttpHandler;
import java.time.Duration;
import java.util.Map;

/**
 * Counts the requests being served and, once {@link #close() closed}, turns new ones away with 503
 * {@code ERR_SERVER_SHUTDOWN} and {@code Connection: close} so clients resume on another instance.
 * Thread-safe.
 */
public final class ShutdownGate {
  private final Object monitor = new Object();
  private int active;
  private volatile boolean closed;

  /** A handler that admits requests to {@code next} while the gate is open. */
  public HttpHandler wrap(HttpHandler next) {
    return exchange -> {
      if (closed) {
        exchange.setPersistent(false);
        throw new TusException(
            ErrorCode.SERVER_SHUTDOWN,
            "the server is shutting down; retry, the upload can be resumed",
            Map.of("Retry-After", "1"),
            null);
      }
      synchronized (monitor) {
        active++;
      }
      exchange.addExchangeCompleteListener(
          (ex, nextListener) -> {
            synchronized (monitor) {
              active--;
              monitor.notifyAll();
            }
            nextListener.proceed();
          });
      next.handleRequest(exchange);
    };
  }

  /** Stops admitting requests; idempotent. */
  public void close() {
    closed = true;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Requests admitted and not yet complete. */
  public int active() {
    synchronized (monitor) {
      return active;
    }
  }

  /** Blocks until no admitted request is left or {@code timeout} passed; true if none is left. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (active > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        monitor.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }
}
