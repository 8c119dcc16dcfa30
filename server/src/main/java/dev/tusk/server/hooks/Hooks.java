package dev.tusk.server.hooks;

import dev.tusk.core.NamedThreads;
import dev.tusk.core.UploadStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the hook policy: pass it to {@code TuskServer.builder(config).policy(policy)}. */
public final class Hooks {
  private Hooks() {}

  /** As {@link #create(HooksConfig, UploadStore, Clock, MeterRegistry)} with private meters. */
  public static HookPolicy create(HooksConfig config, UploadStore store, Clock clock) throws IOException {
    return create(config, store, clock, new SimpleMeterRegistry());
  }

  /**
   * Starts hooks: creates the outbox directory, re-sends what a previous run left undelivered and
   * starts delivery. With no receivers the policy does nothing and touches no files. Close the
   * policy after the server.
   *
   * @param store the server's store (processing status, pending post-terminate checks)
   * @param clock the server's clock (pre-access cache, post-receive interval, event ages)
   * @param registry where hook meters go
   * @throws IOException if the outbox directory cannot be created or read
   */
  public static HookPolicy create(
      HooksConfig config, UploadStore store, Clock clock, MeterRegistry registry) throws IOException {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0, 256, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), NamedThreads.daemon("hook"));
    HookMetrics metrics = new HookMetrics(registry);
    List<Receiver> receivers = Receivers.create(config);
    HookPolicy policy = new HookPolicy(config, store, clock, receivers, metrics, pool);
    if (config.receivers().isEmpty()) {
      return policy;
    }
    try {
      ScheduledThreadPoolExecutor delivery =
          new ScheduledThreadPoolExecutor(config.deliveryThreads(), NamedThreads.daemon("hook-delivery"));
      delivery.setRemoveOnCancelPolicy(true);
      Map<String, Receiver> byName =
          receivers.stream().collect(Collectors.toMap(Receiver::name, Function.identity()));
      Deliverer deliverer =
          new Deliverer(
              new Outbox(config.outboxDir(), config.fsync()),
              byName,
              delivery,
              new Backoff(config.backoffMin(), config.backoffMax()),
              config.giveUpAfter(),
              clock,
              metrics,
              policy::promotePending,
              policy::answered);
      policy.deliverer(deliverer);
      deliverer.start();
      return policy;
    } catch (IOException | RuntimeException e) {
      policy.close();
      throw e;
    }
  }
}
