package dev.tusk.server.hooks;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStore;
import dev.tusk.server.hooks.BlockingCalls.Result;
import dev.tusk.server.hooks.Outbox.Entry;
import dev.tusk.server.protocol.ExpiryChange;
import dev.tusk.server.protocol.Ttl;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps finished uploads' {@link ProcessingStatus} in the store: from a post-finish answer, a
 * pre-access answer or the API. Updates are serialized in this process (read, check, write). A hook
 * cannot lift {@code rejected} (one scanner's verdict is not undone by another's); the API can.
 * Thread-safe; blocking.
 */
final class Statuses {
  private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);

  private final UploadStore store;
  private final Consumer<UploadId> changed;
  private final Object lock = new Object();

  /**
   * @param changed told after an upload's status changed (cached access answers are dropped)
   */
  Statuses(UploadStore store, Consumer<UploadId> changed) {
    this.store = store;
    this.changed = changed;
  }

  /**
   * @param createdAt if not null, only the upload created then (not a later one with the same id)
   * @return the upload as stored; empty if there is none or it is not complete
   */
  Optional<UploadInfo> set(
      UploadId id, Instant createdAt, HookResponse.StatusChange change, boolean fromHook)
      throws IOException {
    synchronized (lock) {
      Optional<UploadInfo> found = store.find(id);
      if (found.isEmpty() || !found.get().isComplete()
          || createdAt != null && !createdAt.equals(found.get().createdAt())) {
        return Optional.empty();
      }
      UploadInfo info = found.get();
      if (fromHook && ProcessingStatus.of(info).orElse(null) == ProcessingStatus.REJECTED
          && change.status() != ProcessingStatus.REJECTED) {
        LOG.info("event=status_kept upload={} status=rejected requested={}", id, change.status().wireName());
        return Optional.of(info);
      }
      UploadInfo updated = store.update(change.status().applyTo(info, change.reason()));
      changed.accept(id);
      LOG.info("event=status_set upload={} status={}", id, change.status().wireName());
      return Optional.of(updated);
    }
  }

  /** The first ProcessingStatus among blocking answers, applied to a complete upload. */
  UploadInfo fromAnswers(UploadInfo info, List<Result> results) throws IOException {
    for (Result r : results) {
      if (r.ok() && r.response().processingStatus().isPresent() && info.isComplete()) {
        return set(info.id(), info.createdAt(), r.response().processingStatus().get(), true).orElse(info);
      }
    }
    return info;
  }

  /**
   * Applies a hook's expiry change to a stored, unexpired upload, under the rules an admin
   * follows; empty if the upload is gone or expired.
   *
   * @throws dev.tusk.core.TusException if the change breaks a rule ({@link ExpiryChange#resolve})
   */
  Optional<UploadInfo> changeExpiry(UploadId id, ExpiryChange change, Instant now) throws IOException {
    synchronized (lock) {
      Optional<UploadInfo> found = store.find(id);
      if (found.isEmpty() || found.get().isExpired(now)) {
        return Optional.empty();
      }
      UploadInfo info = found.get();
      Optional<Instant> expiry = change.resolve(info, now, Ttl.NEVER, true);
      UploadInfo updated = store.update(info.withExpiresAt(expiry));
      changed.accept(id);
      LOG.info("event=expiry_set upload={} expires={}", id, expiry.map(Object::toString).orElse("never"));
      return Optional.of(updated);
    }
  }

  /** A delivered post-finish's ProcessingStatus. */
  void answered(Entry entry, HookResponse response) throws IOException {
    if (entry.type() == HookType.POST_FINISH && response.processingStatus().isPresent()) {
      Optional<UploadId> id = UploadId.parse(entry.uploadId());
      if (id.isPresent()) {
        set(id.get(), null, response.processingStatus().get(), true);
      }
    }
  }
}
