package dev.tusk.server.hooks;

import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStore;
import dev.tusk.server.hooks.BlockingCalls.Result;
import dev.tusk.server.hooks.Outbox.Entry;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hooks as an {@link UploadPolicy}. Blocking hooks (pre-create, pre-access, pre-finish,
 * pre-terminate) call every receiver in the caller's thread and throw the winning rejection;
 * post-receive is reported in the background; post-create, post-finish and post-terminate are
 * written to the outbox before the client is answered and delivered at least once. Downloads of
 * uploads whose {@link ProcessingStatus} is processing or rejected are refused. Thread-safe; built
 * by {@link Hooks#create}; {@link #close} stops delivery (undelivered events stay on disk).
 */
public final class HookPolicy implements UploadPolicy, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HookPolicy.class);

  private final HooksConfig config;
  private final UploadStore store;
  private final Clock clock;
  private final Map<HookType, List<Receiver>> receivers = new EnumMap<>(HookType.class);
  private final BlockingCalls calls;
  private final AccessCache accessCache;
  private final ProgressReports progress;
  private final HookMetrics metrics;
  private final ExecutorService pool;
  private volatile Deliverer deliverer;
  private final Statuses statuses;

  HookPolicy(
      HooksConfig config, UploadStore store, Clock clock, List<Receiver> all, HookMetrics metrics,
      ExecutorService pool) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.metrics = metrics;
    this.pool = pool;
    for (HookType type : HookType.values()) {
      List<String> names = config.receiversOf(type).stream().map(ReceiverConfig::name).toList();
      receivers.put(type, all.stream().filter(r -> names.contains(r.name())).toList());
    }
    this.calls = new BlockingCalls(pool, config.retries(), config.retryBackoff(), metrics);
    this.accessCache = new AccessCache(config.accessCacheTtl(), config.credentialHeaders(), clock);
    this.statuses = new Statuses(store, accessCache::forget);
    this.progress =
        new ProgressReports(config.progressInterval(), clock, pool,
            inv -> receivers.get(HookType.POST_RECEIVE).stream()
                .map(r -> BlockingCalls.once(r, inv, metrics)).toList());
  }

  void deliverer(Deliverer d) {
    this.deliverer = d;
  }

  @Override
  public UploadInfo beforeCreate(RequestContext request, UploadInfo draft) {
    List<Receiver> rs = receivers.get(HookType.PRE_CREATE);
    if (rs.isEmpty()) {
      return draft;
    }
    List<Result> results =
        Verdicts.checkChanges(call(HookType.PRE_CREATE, draft, request, Optional.empty()), this::taken);
    decide(HookType.PRE_CREATE, results);
    return Verdicts.applyChanges(draft, results);
  }

  @Override
  public void afterCreate(RequestContext request, UploadInfo info) {
    publish(HookType.POST_CREATE, info, request); // before the 201
  }

  @Override
  public void beforeAccess(RequestContext request, UploadInfo info, Access access) throws IOException {
    UploadInfo current = info;
    if (!receivers.get(HookType.PRE_ACCESS).isEmpty()) {
      // while processing, a download or details request asks again: the answer may release it
      boolean polling = (access == Access.GET || access == Access.DETAILS)
          && ProcessingStatus.of(info).orElse(null) == ProcessingStatus.PROCESSING;
      Optional<AccessCache.Decision> cached =
          polling ? Optional.empty() : accessCache.find(request, info.id(), access);
      if (cached.isPresent()) {
        if (cached.get().rejection().isPresent()) {
          throw cached.get().rejection().get();
        }
      } else {
        List<Result> results = call(HookType.PRE_ACCESS, info, request, Optional.of(access));
        Optional<TusException> rejection = Verdicts.rejection(HookType.PRE_ACCESS, results, config.failOpen());
        if (results.stream().allMatch(Result::ok)) {
          accessCache.put(request, info.id(), access, new AccessCache.Decision(rejection));
        }
        current = statuses.fromAnswers(info, results);
        decide(HookType.PRE_ACCESS, results);
      }
    }
    if (access == Access.GET) {
      ProcessingStatus.checkDownload(current);
    }
  }

  /** Only a pre-access hook blocks (an HTTP call); without one the checks are in memory. */
  @Override
  public boolean accessMayBlock() {
    return !receivers.get(HookType.PRE_ACCESS).isEmpty();
  }

  @Override
  public boolean onProgress(RequestContext request, UploadInfo info) {
    if (receivers.get(HookType.POST_RECEIVE).isEmpty()) {
      return false;
    }
    return progress.onProgress(info, i -> Invocation.of(HookType.POST_RECEIVE, EventIds.random(),
        HookRequests.build(HookType.POST_RECEIVE, i, request, Optional.empty())));
  }

  @Override
  public UploadInfo beforeFinish(RequestContext request, UploadInfo info) throws IOException {
    boolean gated = config.processingGate() && !config.receivers().isEmpty();
    if (!receivers.get(HookType.PRE_FINISH).isEmpty()) {
      try {
        decide(HookType.PRE_FINISH, call(HookType.PRE_FINISH, info, request, Optional.empty()));
      } catch (TusException rejected) {
        if (gated) { // the bytes stay: behind the gate they must not become downloadable
          store.update(rejected.code() == dev.tusk.core.ErrorCode.HOOK_UNAVAILABLE
              ? ProcessingStatus.PROCESSING.applyTo(info, "pre-finish could not be completed")
              : ProcessingStatus.REJECTED.applyTo(info, "rejected by pre-finish"));
        }
        throw rejected;
      }
    }
    UploadInfo finished = info;
    if (gated && ProcessingStatus.of(info).isEmpty()) {
      finished = store.update(ProcessingStatus.PROCESSING.applyTo(info, ""));
    }
    stage(HookType.POST_FINISH, finished, request);
    return finished;
  }

  @Override
  public void afterFinish(RequestContext request, UploadInfo info) {
    progress.forget(info.id());
    if (config.processingGate() && !config.receivers().isEmpty() && ProcessingStatus.of(info).isEmpty()) {
      try { // an upload finished without pre-finish (an empty one): gate it now
        statuses.set(info.id(), info.createdAt(),
            new HookResponse.StatusChange(ProcessingStatus.PROCESSING, ""), true);
      } catch (IOException e) {
        LOG.warn("event=status_update_failed upload={} error={}", info.id(), e.toString());
      }
    }
    publish(HookType.POST_FINISH, info, request);
  }

  @Override
  public void beforeTerminate(RequestContext request, UploadInfo info) throws IOException {
    if (!receivers.get(HookType.PRE_TERMINATE).isEmpty()) {
      decide(HookType.PRE_TERMINATE, call(HookType.PRE_TERMINATE, info, request, Optional.empty()));
    }
    stage(HookType.POST_TERMINATE, info, request);
  }

  @Override
  public void afterTerminate(RequestContext request, UploadInfo info) {
    accessCache.forget(info.id());
    progress.forget(info.id());
    publish(HookType.POST_TERMINATE, info, request);
  }

  @Override
  public void afterExpiryChange(RequestContext request, UploadInfo info) {
    publish(HookType.POST_EXPIRY_CHANGE, info, request);
  }

  @Override
  public void afterExpire(UploadInfo info) {
    accessCache.forget(info.id());
    progress.forget(info.id());
  }

  /**
   * Sets a finished upload's processing status (e.g. from an admin endpoint once a scan is done).
   * Blocking (storage I/O).
   *
   * @return the upload as stored, empty if there is no such upload or it is not complete
   */
  public Optional<UploadInfo> updateStatus(UploadId id, ProcessingStatus status, String reason)
      throws IOException {
    return statuses.set(id, null, new HookResponse.StatusChange(status, reason == null ? "" : reason), false);
  }

  /** Notifications not yet delivered, by type (the outbox depth). */
  public int outboxDepth(HookType type) {
    return metrics.depth(type);
  }

  private List<Result> call(HookType type, UploadInfo info, RequestContext request, Optional<Access> access) {
    Invocation inv = Invocation.of(type, EventIds.random(), HookRequests.build(type, info, request, access));
    return calls.callAll(receivers.get(type), inv);
  }

  private void decide(HookType type, List<Result> results) {
    for (Result r : results) {
      if (!r.ok()) {
        LOG.warn("event=hook_failed type={} receiver={} failOpen={} error={}",
            type, r.receiver().name(), config.failOpen(), r.failure().getMessage());
      } else if (Verdicts.rejectionOf(type, r.response()).isPresent()) {
        metrics.rejection(type, r.receiver().name());
      }
    }
    Optional<TusException> rejection = Verdicts.rejection(type, results, config.failOpen());
    if (rejection.isPresent()) {
      throw rejection.get();
    }
  }

  /**
   * Writes the event before the client is answered, so a crash after the answer cannot lose it.
   * If that fails, {@link #publish} tries again after the answer.
   */
  private void stage(HookType type, UploadInfo info, RequestContext request) {
    if (receivers.get(type).isEmpty()) {
      return;
    }
    try {
      deliverer.stage(entries(type, info, request));
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=hook_stage_failed type={} upload={} error={}", type, info.id(), e.toString());
    }
  }

  /** Releases the staged event (or writes it now) for delivery. */
  private void publish(HookType type, UploadInfo info, RequestContext request) {
    if (receivers.get(type).isEmpty()) {
      return;
    }
    try {
      deliverer.publish(entries(type, info, request));
    } catch (IOException | RuntimeException e) {
      metrics.lost(type);
      LOG.error("event=hook_event_lost type={} upload={} error={}", type, info.id(), e.toString());
    }
  }

  private List<Entry> entries(HookType type, UploadInfo info, RequestContext request) throws IOException {
    // an expiry may change many times: each change is its own event (its retries share the id)
    String eventId = type == HookType.POST_EXPIRY_CHANGE ? EventIds.random() : EventIds.of(type, info);
    byte[] body = Invocation.of(type, eventId, HookRequests.build(type, info, request, Optional.empty())).body();
    Instant now = clock.instant();
    List<Entry> entries = new ArrayList<>();
    for (Receiver r : receivers.get(type)) {
      entries.add(new Entry(eventId, type, r.name(), info.id().value(), now, body));
    }
    return entries;
  }

  private boolean taken(UploadId id) {
    try {
      return store.find(id).isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The post-finish answer's ProcessingStatus and expiry change, applied when the notification is
   * delivered. A receiver is the operator's own backend, so its expiry change is held to the
   * admin's rules; one that breaks them is logged and ignored (the answer cannot be refused).
   */
  void answered(Entry entry, HookResponse response) throws IOException {
    statuses.answered(entry, response);
    if (entry.type() != HookType.POST_FINISH || response.expiry().isEmpty()) {
      return;
    }
    Optional<UploadId> id = UploadId.parse(entry.uploadId());
    if (id.isEmpty()) {
      return;
    }
    try {
      statuses.changeExpiry(id.get(), response.expiry().get(), clock.instant())
          .ifPresent(changed -> afterExpiryChange(RequestContext.system(), changed));
    } catch (TusException e) {
      // the detail quotes no client input: only the parsed instant and the rule
      LOG.warn("event=hook_expiry_ignored upload={} detail=\"{}\"", id.get(), e.detail());
    }
  }

  /** Pending post-terminate events are kept only if the upload is really gone. */
  boolean promotePending(Entry entry) throws IOException {
    if (entry.type() != HookType.POST_TERMINATE) {
      return true;
    }
    Optional<UploadId> id = UploadId.parse(entry.uploadId());
    return id.isEmpty() || store.find(id.get()).isEmpty();
  }

  @Override
  public void close() {
    if (deliverer != null) {
      deliverer.close();
    }
    pool.shutdownNow();
  }
}
