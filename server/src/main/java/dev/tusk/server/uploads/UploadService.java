package dev.tusk.server.uploads;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tusk.core.ConcatKind;
import dev.tusk.core.Concatenator;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.Locker;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadStore;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy.Access;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.TusExtensions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The store as the handlers see it: loading with the access decision and the 404/410 rules,
 * expiry tombstones, and the lazy completion of final (concatenated) uploads. Thread-safe;
 * blocking (storage executor only), except {@link #access} with a policy whose {@link
 * UploadPolicy#accessMayBlock()} is false on a local store.
 */
public final class UploadService {
  private final StoreCapabilities capabilities;
  private final UploadStore store;
  private final Clock clock;
  private final Locker locker;
  private final Duration lockWait;
  private final UploadPolicy policy;
  private final long maxSize;
  private final Cache<UploadId, UploadInfo> expired;

  /**
   * @param policy decides who may reach an upload at all ({@link #access})
   * @param maxSize the server's maximum upload size ({@code --max-size}), 0 for none
   */
  public UploadService(
      StoreCapabilities capabilities,
      Clock clock,
      Locker locker,
      Duration lockWait,
      UploadPolicy policy,
      long maxSize) {
    this.capabilities = capabilities;
    this.store = capabilities.store();
    this.clock = clock;
    this.locker = locker;
    this.lockWait = lockWait;
    this.policy = policy;
    this.maxSize = maxSize;
    this.expired = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(1)).build();
  }

  /** The store's required core. */
  public UploadStore store() {
    return store;
  }

  /** What the store can do beyond its core, resolved once at start-up. */
  public StoreCapabilities capabilities() {
    return capabilities;
  }

  public Clock clock() {
    return clock;
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * The upload a request is about, for {@code access} by the caller of {@code request}: the one
   * place that decides whether the caller may know of the upload at all. In this order: the
   * upload is loaded (an expired one too, also while remembered after its sweep); the policy
   * decides (a caller it turns away gets the 404 of an unknown upload); only then 404 and 410.
   * Call it before any other check of the upload and before any side effect (taking the upload's
   * lock, asking its holder to let go, concatenating). docs/securing.md: "anyone else gets the
   * same 404 as for an upload that does not exist".
   */
  public UploadInfo access(RequestContext request, UploadId id, Access access) throws IOException {
    Optional<UploadInfo> found = store.find(id);
    UploadInfo info = found.isPresent() ? found.get() : expired.getIfPresent(id);
    if (info == null) {
      throw notFound(id);
    }
    policy.beforeAccess(request, info, access);
    if (found.isEmpty() || info.isExpired(now())) {
      throw gone(id);
    }
    return info;
  }

  /**
   * The upload, or 404 if unknown and 410 if expired, with no access decision: for a request
   * that already passed {@link #access} (reloading under the lock) and for the server's own work.
   * tus expiration: "If an upload is expired, the Server SHOULD respond with 410 Gone"; the
   * sweeper's deletions are remembered for a day so a swept id keeps answering 410.
   */
  public UploadInfo require(UploadId id) throws IOException {
    Optional<UploadInfo> found = store.find(id);
    if (found.isEmpty()) {
      if (expired.getIfPresent(id) != null) {
        throw gone(id);
      }
      throw notFound(id);
    }
    UploadInfo info = found.get();
    if (info.isExpired(now())) {
      throw gone(id);
    }
    return info;
  }

  /**
   * Remembers that {@code info} expired: its id answers 410 after it is deleted, to those the
   * policy lets near it. Kept small, without metadata, store keys or partial ids (the policy
   * decides from the attributes): up to 100,000 ids for a day.
   */
  public void markExpired(UploadInfo info) {
    expired.put(
        info.id(),
        info.withMetadata(Map.of()).withStorage(Map.of()).withConcat(info.concat(), List.of()));
  }

  private static TusException notFound(UploadId id) {
    return new TusException(ErrorCode.UPLOAD_NOT_FOUND, "upload " + id + " not found");
  }

  private static TusException gone(UploadId id) {
    return new TusException(ErrorCode.UPLOAD_EXPIRED, "upload " + id + " has expired");
  }

  /**
   * The partial uploads a final upload names, checked for concatenation after the access
   * decision on each ({@link Access#CONCATENATE}): a partial the caller may not reach is refused
   * exactly as an unknown one, before its kind, state or length is looked at.
   */
  public List<UploadInfo> partialsFor(RequestContext request, List<UploadId> ids) throws IOException {
    List<UploadInfo> partials = new ArrayList<>();
    for (UploadId id : ids) {
      UploadInfo partial;
      try {
        partial = access(request, id, Access.CONCATENATE);
      } catch (TusException e) {
        // 404 for an unknown partial (as tusd answers), 410 for an expired one
        throw new TusException(e.code(), "partial upload " + id + " cannot be used: " + e.detail());
      }
      if (partial.concat() != ConcatKind.PARTIAL) {
        throw new TusException(
            ErrorCode.INVALID_CONCAT, "upload " + id + " is not a partial upload");
      }
      partials.add(partial);
    }
    return partials;
  }

  /**
   * The sum of the partials' lengths, empty while one of them is deferred.
   *
   * @throws TusException {@link ErrorCode#MAX_SIZE_EXCEEDED} (413) if the sum is beyond what a
   *     length can be (2^63-1 bytes)
   */
  public static OptionalLong totalLength(List<UploadInfo> partials) {
    long total = 0;
    for (UploadInfo p : partials) {
      if (p.length().isEmpty()) {
        return OptionalLong.empty();
      }
      if (p.length().getAsLong() > Long.MAX_VALUE - total) {
        throw new TusException(
            ErrorCode.MAX_SIZE_EXCEEDED,
            "the partial uploads together are longer than " + Long.MAX_VALUE + " bytes");
      }
      total += p.length().getAsLong();
    }
    return OptionalLong.of(total);
  }

  /**
   * The length of a final upload over {@code partials}, checked against the maximum size whenever
   * it becomes known: at creation when every partial declared its length, else on the first access
   * to the final after its last partial declared (see {@link #settleFinal}). Empty while a partial
   * is deferred.
   *
   * @param maxSize the server's maximum upload size, 0 for none
   * @throws TusException {@link ErrorCode#MAX_SIZE_EXCEEDED} (413) above the maximum size
   */
  public static OptionalLong finalLength(List<UploadInfo> partials, long maxSize) {
    OptionalLong total = totalLength(partials);
    if (total.isPresent() && maxSize > 0 && total.getAsLong() > maxSize) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED,
          "the concatenation of " + total.getAsLong() + " bytes exceeds the maximum size " + maxSize);
    }
    return total;
  }

  /**
   * For a final upload whose partials are all complete but which is not concatenated yet
   * (concatenation-unfinished), concatenates now under the final's lock; otherwise returns
   * {@code info} as it is.
   *
   * @throws TusException {@link ErrorCode#MAX_SIZE_EXCEEDED} (413) once the partials' lengths
   *     are all declared and sum past the maximum size, complete or not
   */
  public UploadInfo settleFinal(UploadInfo info) throws IOException {
    if (info.concat() != ConcatKind.FINAL || info.isComplete()) {
      return info;
    }
    List<UploadInfo> partials = new ArrayList<>();
    boolean complete = true;
    for (UploadId id : info.partials()) {
      Optional<UploadInfo> p = store.find(id);
      if (p.isEmpty()) {
        return info;
      }
      partials.add(p.get());
      complete &= p.get().isComplete();
    }
    finalLength(partials, maxSize); // the moment the last partial declared its length
    if (!complete) {
      return info;
    }
    try (Locker.Lock lock = locker.lock(info.id(), lockWait, () -> {}).get(lockWait.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
      UploadInfo current = require(info.id());
      if (current.isComplete()) {
        return current;
      }
      return concatenate(current, partials);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while concatenating", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw dev.tusk.server.http.Problems.classify(e);
    }
  }

  /** Concatenates complete partials into the (empty, locked or unpublished) final upload. */
  public UploadInfo concatenate(UploadInfo target, List<UploadInfo> partials) throws IOException {
    Concatenator concatenator =
        capabilities.concatenator().orElseThrow(() -> TusExtensions.unsupported(TusExtensions.CONCATENATION));
    UploadInfo withLength = target;
    if (target.length().isEmpty()) {
      long total = finalLength(partials, maxSize).orElseThrow();
      Optional<LengthDeferrer> deferrer = capabilities.lengthDeferrer();
      withLength = deferrer.isPresent()
          ? deferrer.get().declareLength(target, total)
          : store.update(target.withLength(total, now()));
    }
    return concatenator.concatenate(withLength, partials);
  }
}
