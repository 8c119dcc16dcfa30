package dev.tusk.locker.redis;

import dev.tusk.core.NamedThreads;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one pub/sub connection of a locker, read by its own thread, re-subscribing with a bounded
 * backoff (100 ms doubling to 1 s) whenever the connection breaks. Redis answers a subscribed
 * connection's PING; {@link #keepAlive()} sends one and drops a connection that stayed silent, so a
 * half-open connection (Redis gone without closing the socket) is noticed too.
 *
 * <p>Thread-safe. {@link Listener} methods run on the subscriber thread and must not block.
 */
final class LockSubscriber implements AutoCloseable {

  /** Receives what arrives on the subscribed channels. */
  interface Listener {
    void onMessage(String channel, String message);

    /** All channels are subscribed (again); messages sent while disconnected were missed. */
    void onSubscribed();
  }

  private static final Logger log = LoggerFactory.getLogger(LockSubscriber.class);
  private static final long MIN_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 1_000;

  private final HostAndPort address;
  private final JedisClientConfig config;
  private final String description;
  private final Listener listener;
  private final String[] channels;
  private final Duration silenceLimit;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closing = lock.newCondition();
  private volatile boolean closed;
  private volatile Connection connection;
  private volatile PubSub pubSub;

  LockSubscriber(
      RedisCommands redis, Listener listener, Duration silenceLimit, String... channels) {
    this.address = redis.address();
    // RESP2: Jedis's subscriber reads a PING answer as ["pong", ""], which only RESP2 sends.
    this.config = DefaultJedisClientConfig.builder().from(redis.config()).resp2().build();
    this.description = redis.description();
    this.listener = listener;
    this.channels = channels.clone();
    this.silenceLimit = silenceLimit;
    this.thread = NamedThreads.daemon("redis-locker-subscriber").newThread(this::run);
  }

  void start() {
    thread.start();
  }

  /** Whether all channels are currently subscribed. */
  boolean subscribed() {
    PubSub current = pubSub;
    return current != null && current.getSubscribedChannels() == channels.length;
  }

  /**
   * Pings the subscribed connection, or drops it when nothing (message or pong) arrived for the
   * silence limit. Call periodically, more often than the limit; never blocks for long.
   */
  void keepAlive() {
    PubSub current = pubSub;
    Connection open = connection;
    if (current == null || open == null || !current.isSubscribed()) {
      return;
    }
    if (System.nanoTime() - current.lastHeard > silenceLimit.toNanos()) {
      log.warn("event=redis_subscriber_silent redis={} action=reconnect", description);
      open.disconnect();
      return;
    }
    try {
      current.ping();
    } catch (JedisException e) {
      open.disconnect();
    }
  }

  private void run() {
    long backoff = MIN_BACKOFF_MILLIS;
    boolean reported = false;
    while (!closed) {
      PubSub current = new PubSub();
      try (Connection open = new Connection(address, config)) {
        connection = open;
        pubSub = current;
        if (!closed) {
          current.proceed(open, channels);
        }
      } catch (JedisException | IllegalStateException e) {
        reported &= !current.everSubscribed; // a new outage is reported once
        if (!closed && !reported) {
          log.warn(
              "event=redis_subscriber_down redis={} cause=\"{}\" action=retry",
              description,
              e.getMessage());
          reported = true;
        }
      } catch (RuntimeException e) {
        log.error("event=redis_subscriber_failed redis={} action=retry", description, e);
      } finally {
        connection = null;
        pubSub = null;
      }
      if (current.everSubscribed) {
        backoff = MIN_BACKOFF_MILLIS;
      }
      pause(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
  }

  private void pause(long millis) {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
      while (!closed && nanos > 0) {
        nanos = closing.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /** Unsubscribes, closes the connection and waits up to one second for the thread to end. */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      closing.signalAll();
    } finally {
      lock.unlock();
    }
    Connection open = connection;
    if (open != null) {
      open.disconnect();
    }
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class PubSub extends JedisPubSub {
    volatile long lastHeard = System.nanoTime();
    volatile boolean everSubscribed;

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      lastHeard = System.nanoTime();
      if (subscribedChannels == channels.length) {
        everSubscribed = true;
        log.info("event=redis_subscribed redis={} channels={}", description, channels.length);
        listener.onSubscribed();
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      lastHeard = System.nanoTime();
      listener.onMessage(channel, message);
    }

    @Override
    public void onPong(String pattern) {
      lastHeard = System.nanoTime();
    }
  }
}
