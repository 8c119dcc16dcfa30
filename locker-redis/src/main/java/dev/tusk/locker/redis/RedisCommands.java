package dev.tusk.locker.redis;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultRedisCredentials;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The locker's Redis commands over a small connection pool. Every command is one round trip (Lua
 * where a check and a write must be atomic) and is idempotent, so a command that fails on a
 * connection gone stale (Redis restarted) is retried once on a fresh one.
 *
 * <p>Thread-safe. Every method blocks for at most about two {@link #TIMEOUT}s and throws {@link
 * TusException} {@link ErrorCode#LOCKER_UNAVAILABLE} when Redis cannot be reached or refuses; after
 * such a failure further calls fail at once for {@link #COOL_DOWN} so callers queued behind an
 * outage fail promptly too.
 */
final class RedisCommands implements AutoCloseable {
  /** Connect and socket timeout of every connection. */
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  static final Duration COOL_DOWN = Duration.ofMillis(250);

  /** SET NX PX, or re-affirm when the key already holds our token (a retried acquire). */
  private static final String ACQUIRE =
      """
      if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('pexpire', KEYS[1], ARGV[2])
        return 1
      end
      return 0\
      """;

  /** Compare-and-PEXPIRE for many keys: KEYS[i] is renewed when it still holds ARGV[i + 1]. */
  private static final String RENEW =
      """
      local renewed = {}
      for i, key in ipairs(KEYS) do
        if redis.call('get', key) == ARGV[i + 1] then
          redis.call('pexpire', key, ARGV[1])
          renewed[i] = 1
        else
          renewed[i] = 0
        end
      end
      return renewed\
      """;

  /** Compare-and-delete; on delete, tells every instance the upload is free. */
  private static final String RELEASE =
      """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('del', KEYS[1])
        redis.call('publish', ARGV[2], ARGV[3])
        return 1
      end
      return 0\
      """;

  private static final Logger log = LoggerFactory.getLogger(RedisCommands.class);

  private final HostAndPort address;
  private final JedisClientConfig config;
  private final String description;
  private final RedisClient client;
  private volatile long failFastUntil = System.nanoTime();
  private volatile String lastFailure = "";
  private volatile boolean healthy = true;

  RedisCommands(URI url, int poolSize) {
    if (!JedisURIHelper.isValid(url) || !JedisURIHelper.isRedisScheme(url)) {
      throw new IllegalArgumentException(
          "Redis URL must look like redis://[[user]:password@]host:port[/db], got " + redact(url));
    }
    this.address = JedisURIHelper.getHostAndPort(url);
    DefaultJedisClientConfig.Builder builder =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) TIMEOUT.toMillis())
            .socketTimeoutMillis((int) TIMEOUT.toMillis())
            .database(JedisURIHelper.hasDbIndex(url) ? JedisURIHelper.getDBIndex(url) : 0)
            .clientName("tusk-locker");
    String password = JedisURIHelper.getPassword(url);
    if (password != null) {
      builder.credentials(new DefaultRedisCredentials(JedisURIHelper.getUser(url), password));
    }
    this.config = builder.build();
    this.description = redact(url);
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMaxWait(TIMEOUT);
    this.client =
        RedisClient.builder().hostAndPort(address).clientConfig(config).poolConfig(pool).build();
  }

  HostAndPort address() {
    return address;
  }

  JedisClientConfig config() {
    return config;
  }

  /** The URL without its password, for messages and logs. */
  String description() {
    return description;
  }

  /** Sets {@code key} to {@code token} for {@code leaseMillis} unless another token holds it. */
  boolean acquire(String key, String token, long leaseMillis) {
    Object result =
        call(r -> r.eval(ACQUIRE, List.of(key), List.of(token, Long.toString(leaseMillis))));
    return Long.valueOf(1).equals(result);
  }

  /** Renews each key that still holds its token; answers, per key, whether it was renewed. */
  List<Boolean> renew(List<String> keys, List<String> tokens, long leaseMillis) {
    List<String> args = new ArrayList<>(tokens.size() + 1);
    args.add(Long.toString(leaseMillis));
    args.addAll(tokens);
    List<?> result = (List<?>) call(r -> r.eval(RENEW, keys, args));
    return result.stream().map(Long.valueOf(1)::equals).toList();
  }

  /** Deletes {@code key} if it holds {@code token} and then publishes {@code id} on the channel. */
  boolean release(String key, String token, String releasedChannel, String id) {
    Object result = call(r -> r.eval(RELEASE, List.of(key), List.of(token, releasedChannel, id)));
    return Long.valueOf(1).equals(result);
  }

  /** A round trip to Redis (PING); throws {@link TusException} LOCKER_UNAVAILABLE if it fails. */
  void ping() {
    call(UnifiedJedis::ping);
  }

  boolean exists(String key) {
    return call(r -> r.exists(key));
  }

  void publish(String channel, String message) {
    call(r -> r.publish(channel, message));
  }

  private <T> T call(Function<UnifiedJedis, T> command) {
    if (System.nanoTime() - failFastUntil < 0) {
      throw unavailable(lastFailure, null);
    }
    try {
      return succeeded(command.apply(client));
    } catch (JedisConnectionException stale) {
      // Pooled connections die with a Redis restart; drop the idle ones and try a fresh one.
      client.getPool().clear();
      log.debug("event=redis_retry redis={} cause={}", description, stale.toString());
    } catch (JedisException refused) {
      throw fail(refused);
    }
    try {
      return succeeded(command.apply(client));
    } catch (JedisException e) {
      throw fail(e);
    }
  }

  private <T> T succeeded(T result) {
    if (!healthy) {
      healthy = true;
      log.info("event=redis_available redis={}", description);
    }
    return result;
  }

  private TusException fail(JedisException cause) {
    String detail = rootMessage(cause);
    if (healthy) {
      healthy = false;
      log.warn("event=redis_unavailable redis={} cause=\"{}\"", description, detail);
    }
    lastFailure = detail;
    failFastUntil = System.nanoTime() + COOL_DOWN.toNanos();
    return unavailable(detail, cause);
  }

  private TusException unavailable(String detail, Throwable cause) {
    return new TusException(
        ErrorCode.LOCKER_UNAVAILABLE,
        "lock service Redis at " + description + " is unavailable: " + detail,
        cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The URL with any user info removed. */
  static String redact(URI url) {
    if (url == null || url.getRawUserInfo() == null) {
      return String.valueOf(url);
    }
    return url.getScheme() + "://" + url.getHost() + ":" + url.getPort() + url.getRawPath();
  }

  @Override
  public void close() {
    client.close();
  }
}
