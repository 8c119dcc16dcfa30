package dev.tusk.server.metrics;

import dev.tusk.core.AppendSession;
import dev.tusk.core.Concatenator;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.LocalReads;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.Terminator;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadLister;
import dev.tusk.core.UploadStore;
import dev.tusk.core.UseRecorder;
import dev.tusk.server.health.StoreHealth;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/**
 * Wraps a store's core and each of its capabilities so every operation is timed ({@code
 * tusk_store_operation_seconds}, tagged with the method's name) and its outcome reported to the
 * {@link StoreHealth} (except the readiness probe's, which readiness judges itself). {@link
 * #wrap} decorates each capability of a {@link StoreCapabilities} explicitly, so the metered
 * value offers exactly what the store offers. Results pass through unchanged — an {@code
 * openRead} channel that is a {@link java.nio.channels.FileChannel} stays one (sendfile) — except
 * append sessions, which are wrapped to time writes and commits. Thread-safe if the store is.
 */
public final class MeteredStore implements UploadStore {
  private static final String PROBE = "probe";
  private final UploadStore store;
  private final TuskMetrics metrics;
  private final StoreHealth health;

  private MeteredStore(UploadStore store, TuskMetrics metrics, StoreHealth health) {
    this.store = store;
    this.metrics = metrics;
    this.health = health;
  }

  /** The metered view of {@code store}'s capabilities, reporting to a health tracker of its own. */
  public static StoreCapabilities wrap(StoreCapabilities store, TuskMetrics metrics) {
    return wrap(store, metrics, new StoreHealth(java.time.Clock.systemUTC()));
  }

  /** The metered view of {@code caps}, reporting every call's outcome to {@code health}. */
  public static StoreCapabilities wrap(StoreCapabilities caps, TuskMetrics metrics, StoreHealth health) {
    MeteredStore m = new MeteredStore(caps.store(), metrics, health);
    return caps.withStore(m)
        .decorate(Terminator.class, t -> info -> m.timed("terminate", () -> {
          t.terminate(info);
          return null;
        }))
        .decorate(LengthDeferrer.class,
            d -> (info, length) -> m.timed("declareLength", () -> d.declareLength(info, length)))
        .decorate(Concatenator.class,
            c -> (target, partials) -> m.timed("concatenate", () -> c.concatenate(target, partials)))
        .decorate(UploadLister.class, l -> () -> m.timed("list", l::list))
        .decorate(UseRecorder.class, r -> id -> m.timed("recordUse", () -> r.recordUse(id)))
        .decorate(LocalReads.class, l -> () -> m.timed("readsAreLocal", l::readsAreLocal));
  }

  /** Reports a failed store call to the health tracker and counts it by kind. */
  static void failed(StoreHealth health, TuskMetrics metrics, Throwable failure) {
    health.failed(failure).ifPresent(kind -> metrics.storeError(kind.tag()));
  }

  @Override
  public UploadInfo create(UploadInfo draft) throws IOException {
    return timed("create", () -> store.create(draft));
  }

  @Override
  public Optional<UploadInfo> find(UploadId id) throws IOException {
    return timed("find", () -> store.find(id));
  }

  @Override
  public UploadInfo update(UploadInfo info) throws IOException {
    return timed("update", () -> store.update(info));
  }

  @Override
  public AppendSession openAppend(UploadInfo info, boolean provisional) throws IOException {
    AppendSession session = timed("openAppend", () -> store.openAppend(info, provisional));
    return new MeteredAppendSession(session, metrics, health);
  }

  @Override
  public ReadableByteChannel openRead(UploadInfo info, long position, long length) throws IOException {
    return timed("openRead", () -> store.openRead(info, position, length));
  }

  @Override
  public void probe() throws IOException {
    timed(PROBE, () -> {
      store.probe();
      return null;
    });
  }

  @Override
  public String toString() {
    return "metered " + store;
  }

  /** One store call that may fail with {@code E}. */
  private interface Call<T, E extends Exception> {
    T call() throws E;
  }

  private <T, E extends Exception> T timed(String operation, Call<T, E> call) throws E {
    long start = System.nanoTime();
    boolean ok = false;
    T result;
    try {
      result = call.call();
      ok = true;
    } catch (Exception | Error e) {
      if (!PROBE.equals(operation)) {
        failed(health, metrics, e);
      }
      throw e;
    } finally {
      metrics.storeOperation(operation, ok, System.nanoTime() - start);
    }
    if (!PROBE.equals(operation)) {
      health.succeeded();
    }
    return result;
  }
}
