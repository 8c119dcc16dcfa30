package dev.tusk.server.hooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How hooks are sent. Defaults follow tusd where tusd has one.
 *
 * @param receivers where hooks go; several at once (HTTP and file alike); empty disables hooks
 * @param enabled the hook types sent (tusd {@code -hooks-enabled-events}); default pre-create,
 *     post-create, post-receive, post-finish, post-terminate
 * @param progressInterval at most one post-receive per upload per interval (tusd {@code
 *     -progress-hooks-interval}, 1 s)
 * @param accessCacheTtl how long a pre-access answer is reused for the same credential, upload and
 *     kind of access; zero disables the cache
 * @param credentialHeaders the request headers that identify a credential for that cache when no
 *     authenticated principal is attached (default {@code Authorization}, {@code Cookie})
 * @param retries blocking hooks: further attempts after a connection error or a 5xx (tusd: 3)
 * @param retryBackoff blocking hooks: wait before the first retry, doubled for each further one
 * @param failOpen blocking hooks: when a receiver cannot be reached after the retries, go on as if
 *     it had allowed (true) or answer 503 ERR_HOOK_UNAVAILABLE (false, the default)
 * @param outboxDir where undelivered notifications are kept (one small JSON file per event and
 *     receiver); must survive restarts and belong to one server instance
 * @param backoffMin notifications: the first retry delay
 * @param backoffMax notifications: the longest retry delay
 * @param giveUpAfter notifications older than this are moved to {@code <outboxDir>/dead}
 * @param deliveryThreads notifications delivered at once
 * @param fsync force outbox files to stable storage before a request is answered
 * @param processingGate a finished upload starts in status {@code processing} (downloads answer
 *     409) until a post-finish response or {@link HookPolicy#updateStatus} sets it
 */
public record HooksConfig(
    List<ReceiverConfig> receivers,
    Set<HookType> enabled,
    Duration progressInterval,
    Duration accessCacheTtl,
    List<String> credentialHeaders,
    int retries,
    Duration retryBackoff,
    boolean failOpen,
    Path outboxDir,
    Duration backoffMin,
    Duration backoffMax,
    Duration giveUpAfter,
    int deliveryThreads,
    boolean fsync,
    boolean processingGate) {

  public HooksConfig {
    receivers = List.copyOf(receivers);
    enabled = enabled.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(enabled));
    credentialHeaders = List.copyOf(credentialHeaders);
    Set<String> names = new HashSet<>();
    for (ReceiverConfig r : receivers) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("two hook receivers are named " + r.name());
      }
    }
    requireNonNegative("post-receive interval", progressInterval);
    requireNonNegative("pre-access cache TTL", accessCacheTtl);
    requireNonNegative("hook retry backoff", retryBackoff);
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("hook retries must be 0..10, was " + retries);
    }
    if (outboxDir == null) {
      throw new IllegalArgumentException("the hook outbox directory is required");
    }
    requirePositive("outbox backoff min", backoffMin);
    requirePositive("outbox backoff max", backoffMax);
    if (backoffMin.compareTo(backoffMax) > 0) {
      throw new IllegalArgumentException(
          "outbox backoff min " + backoffMin + " is longer than max " + backoffMax);
    }
    requirePositive("outbox give-up age", giveUpAfter);
    if (deliveryThreads < 1 || deliveryThreads > 64) {
      throw new IllegalArgumentException("delivery threads must be 1..64, was " + deliveryThreads);
    }
    if (processingGate && !receivers.isEmpty() && !enabled.contains(HookType.POST_FINISH)) {
      throw new IllegalArgumentException(
          "the processing gate needs post-finish enabled (nothing else can release an upload)");
    }
  }

  /** No receivers (hooks off) and every other option at its default. */
  public static HooksConfig defaults() {
    return new HooksConfig(
        List.of(),
        HookType.defaults(),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        List.of("Authorization", "Cookie"),
        3,
        Duration.ofMillis(200),
        false,
        Path.of("data", ".hooks-outbox"),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        Duration.ofDays(3),
        4,
        true,
        false);
  }

  /** True if {@code type} is enabled and some receiver wants it. */
  public boolean sends(HookType type) {
    return enabled.contains(type) && receivers.stream().anyMatch(r -> r.wants(type));
  }

  /** The receivers that get {@code type}, in configured order. */
  public List<ReceiverConfig> receiversOf(HookType type) {
    return enabled.contains(type) ? receivers.stream().filter(r -> r.wants(type)).toList() : List.of();
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  private static void requireNonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
  }

  public HooksConfig withReceivers(List<ReceiverConfig> v) {
    return new HooksConfig(v, enabled, progressInterval, accessCacheTtl, credentialHeaders, retries,
        retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withEnabled(Set<HookType> v) {
    return new HooksConfig(receivers, v, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter,
        deliveryThreads, fsync, processingGate);
  }

  public HooksConfig withProgressInterval(Duration v) {
    return new HooksConfig(receivers, enabled, v, accessCacheTtl, credentialHeaders, retries,
        retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withAccessCacheTtl(Duration v) {
    return new HooksConfig(receivers, enabled, progressInterval, v, credentialHeaders, retries,
        retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withCredentialHeaders(List<String> v) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, v, retries,
        retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withRetries(int v, Duration backoff) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        v, backoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withFailOpen(boolean v) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, v, outboxDir, backoffMin, backoffMax, giveUpAfter, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withOutboxDir(Path v) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, failOpen, v, backoffMin, backoffMax, giveUpAfter, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withBackoff(Duration min, Duration max) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, failOpen, outboxDir, min, max, giveUpAfter, deliveryThreads, fsync,
        processingGate);
  }

  public HooksConfig withGiveUpAfter(Duration v) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, v, deliveryThreads,
        fsync, processingGate);
  }

  public HooksConfig withDeliveryThreads(int v) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter, v, fsync,
        processingGate);
  }

  public HooksConfig withFsync(boolean v) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter,
        deliveryThreads, v, processingGate);
  }

  public HooksConfig withProcessingGate(boolean v) {
    return new HooksConfig(receivers, enabled, progressInterval, accessCacheTtl, credentialHeaders,
        retries, retryBackoff, failOpen, outboxDir, backoffMin, backoffMax, giveUpAfter,
        deliveryThreads, fsync, v);
  }
}
