package dev.tusk.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread factory of every tusk thread: it names them {@code tusk-<role>-<n>} (n counts from 1
 * per factory), so a thread dump or a profile says whose each thread is, and logs an exception
 * that escapes a thread's task (event {@code thread_failed}) instead of leaving it to the JVM's
 * print to stderr. Thread-safe.
 *
 * <p>{@link #daemon} threads do not keep the JVM alive: right for pools a component shuts down
 * itself, which is every pool of the server and the stores.
 */
public final class NamedThreads implements ThreadFactory {
  private static final Logger LOG = LoggerFactory.getLogger(NamedThreads.class);
  private static final Thread.UncaughtExceptionHandler LOG_IT =
      (thread, e) ->
          LOG.atError()
              .addKeyValue("event", "thread_failed")
              .addKeyValue("thread", thread.getName())
              .setCause(e)
              .log("uncaught exception in {}", thread.getName());

  private final String prefix;
  private final boolean daemon;
  private final AtomicInteger count = new AtomicInteger();

  private NamedThreads(String role, boolean daemon) {
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("a thread role must not be blank");
    }
    this.prefix = "tusk-" + role + "-";
    this.daemon = daemon;
  }

  /** Daemon threads named {@code tusk-<role>-<n>}. */
  public static NamedThreads daemon(String role) {
    return new NamedThreads(role, true);
  }

  /** Threads named {@code tusk-<role>-<n>} that keep the JVM alive while they run. */
  public static NamedThreads nonDaemon(String role) {
    return new NamedThreads(role, false);
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + count.incrementAndGet());
    thread.setDaemon(daemon);
    thread.setUncaughtExceptionHandler(LOG_IT);
    return thread;
  }
}
