package dev.tusk.store.s3;

import dev.tusk.core.AppendSession;
import dev.tusk.core.Concatenator;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.ExpiryIndex;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.Terminator;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadLister;
import dev.tusk.core.UploadStore;
import dev.tusk.core.UseRecorder;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An {@link UploadStore} on S3 and S3-compatible servers (MinIO, Ceph RGW, R2, S3Proxy): one
 * multipart upload per tus upload, completed into the object {@code <prefix><id>} when the last
 * byte arrives, beside a {@code <infoPrefix><id>.info} JSON document and, while incomplete, a
 * {@code <infoPrefix><id>.part} object holding the tail below the 5 MiB minimum part size (see the
 * module's README). Parts are buffered on a local temp directory under a global byte budget and
 * uploaded with bounded parallelism per upload.
 *
 * <p><b>Offsets.</b> The offset of an incomplete upload is the commit record kept as user metadata
 * of its {@code .part} object: bytes in committed parts plus tail bytes. It is written in the same
 * PUT as the tail and only after every part it names is acknowledged, so the offset reported is
 * never ahead of what S3 durably stores. {@link #find} reads it with one GET and one HEAD, or from
 * an in-memory cache ({@link S3StoreConfig#offsetCache()}) that is exact while this process is the
 * only writer. <b>In a fleet, turn the cache off</b>: another instance's commits are invisible to
 * it. Sessions re-read the record when they open, so even a stale cache cannot make a session
 * append at a wrong offset (it fails with {@link ErrorCode#MISMATCHED_OFFSET} instead).
 *
 * <p><b>Reads.</b> A complete upload is read with a ranged GET. S3 cannot read the parts of an
 * incomplete multipart upload: for an incomplete upload only a range inside the {@code .part} tail
 * can be read; any other range fails with {@link IOException}.
 *
 * <p><b>Crash behaviour.</b> Bytes a session received but did not commit are lost with the process
 * (the client resends them from the committed offset; parts uploaded beyond the record are
 * overwritten or left out of the completion). A completion interrupted between its steps is
 * finished by the next {@link #find}. Buffer files left by a dead process are deleted when a store
 * starts on the same temp directory.
 *
 * <p><b>Time.</b> The S3 requests of one call (and of one session {@code write} or {@code
 * commit}) take at most {@link S3StoreConfig#callTimeout()} together; then the call fails with
 * {@link TusException} {@link ErrorCode#STORAGE_UNAVAILABLE}, as it does when S3 answers 5xx or
 * cannot be reached. Concatenation and listing are bounded per request only.
 *
 * <p><b>Thread-safety and blocking.</b> Thread-safe. Every method blocks on S3 requests and must
 * run on the server's storage executor. {@link AppendSession#write} also blocks while the upload
 * has {@code maxPartsInFlight} parts uploading or the temp budget is used up (waiting at most two
 * minutes, then {@link TusException} {@link ErrorCode#STORAGE_UNAVAILABLE}). Writes of one upload
 * must be serialized by the caller's lock, which {@link #update}, {@link #declareLength}, {@link
 * #terminate} and {@link #concatenate} also assume.
 *
 * <p><b>Exceptions.</b> S3 failures surface as {@link IOException} (the SDK's exception as cause);
 * a missing {@code .info} is {@code Optional.empty()}, a corrupt one an {@link IOException}. A
 * write past the upload's length (or, while deferred, {@link S3StoreConfig#maxUploadSize()}) fails
 * with {@link TusException} {@link ErrorCode#UPLOAD_SIZE_EXCEEDED} ({@link
 * ErrorCode#MAX_SIZE_EXCEEDED}).
 *
 * <p>Longer than most classes here because it is the facade of every capability the store offers;
 * each operation's work lives in its own class ({@link UploadCreator}, {@link UploadLoader}, {@link
 * Completer}, {@link Concatenation}, {@link S3ExpiryIndex}, ...) and this class holds the
 * order in which they are called and their shared cache.
 */
public final class S3UploadStore
    implements UploadStore, Terminator, LengthDeferrer, Concatenator, UploadLister, ExpiryIndex,
        UseRecorder, Closeable {
  private static final Duration BUDGET_WAIT = Duration.ofMinutes(2);
  /** A part streamed while its PATCH arrives is abandoned after this long without a byte. */
  private static final Duration STREAM_STALL = Duration.ofSeconds(2);

  private final S3Client s3;
  private final StoreContext ctx;
  private final UploadExecutor executor;
  private final Completer completer;
  private final UploadLoader loader;
  private final UploadCreator creator;
  private final Concatenation concatenation;

  /**
   * A store that owns {@code s3} and closes it in {@link #close()}. Creates the temp directory and
   * deletes buffer files a previous process left there.
   */
  public S3UploadStore(S3StoreConfig config, S3Client s3, Clock clock) throws IOException {
    this.s3 = s3;
    TempSpace temp = new TempSpace(config.tempDir(), config.tempBudget());
    temp.deleteLeftovers();
    this.executor = new UploadExecutor(threads(config));
    S3Objects objects = new S3Objects(s3, config.bucket());
    S3Multipart multipart = new S3Multipart(s3, config.bucket(), config.callTimeout());
    S3Layout layout = new S3Layout(config.keyPrefix(), config.effectiveInfoPrefix());
    this.ctx =
        new StoreContext(
            config,
            layout,
            objects,
            multipart,
            new InfoStore(objects, layout),
            new TailStore(objects, layout, config.offsetCache()),
            new PartUploader(
                multipart, temp, executor.service(), config.maxPartsInFlight(), BUDGET_WAIT, STREAM_STALL),
            new UploadStateCache(config.offsetCache()),
            new S3ExpiryIndex(objects, layout),
            clock);
    this.completer = new Completer(ctx);
    this.loader = new UploadLoader(ctx, completer);
    this.creator = new UploadCreator(ctx);
    this.concatenation = new Concatenation(ctx, completer);
  }

  /** A store with an S3 client built from {@code config}. */
  public static S3UploadStore create(S3StoreConfig config, Clock clock) throws IOException {
    S3Client client = S3Clients.build(config, threads(config) + 16);
    try {
      return new S3UploadStore(config, client, clock);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * Starts the multipart upload and writes the {@code .info} with {@code If-None-Match: *}; an
   * upload of length 0 becomes an empty object at once. Fails with {@link
   * FileAlreadyExistsException} if the id is taken, with {@link TusException} {@link
   * ErrorCode#MAX_SIZE_EXCEEDED} if the length exceeds {@link S3StoreConfig#maxUploadSize()}.
   */
  @Override
  public UploadInfo create(UploadInfo draft) throws IOException {
    return bounded(() -> creator.create(draft));
  }

  @Override
  public Optional<UploadInfo> find(UploadId id) throws IOException {
    return bounded(() -> ctx.cache().get(id, loader));
  }

  @Override
  public UploadInfo update(UploadInfo info) throws IOException {
    return bounded(() -> updateNow(info));
  }

  private UploadInfo updateNow(UploadInfo info) throws IOException {
    UploadInfo current =
        find(info.id()).orElseThrow(() -> new NoSuchFileException(ctx.layout().infoKey(info.id())));
    UploadInfo merged =
        info.withOffset(current.offset(), ctx.clock().instant()).withStorage(current.storage());
    Optional<ExpiryEntry> before = ExpiryEntry.of(current);
    Optional<ExpiryEntry> after = ExpiryEntry.of(merged);
    boolean moved = !before.equals(after);
    if (moved && after.isPresent()) {
      ctx.expiry().add(after.get()); // the new entry before the info, the old one gone after
    }
    try {
      ctx.infos().write(merged);
    } catch (IOException | RuntimeException e) {
      ctx.cache().invalidate(info.id()); // the PUT may have happened: read again next time
      throw e;
    }
    if (moved && before.isPresent()) {
      ctx.expiry().remove(before.get());
    }
    if (merged.isComplete() && !InfoStore.isComplete(merged)) {
      return completer.complete(info.id());
    }
    ctx.cache().put(merged);
    return merged;
  }

  /**
   * Persists the length; completes the upload if every byte has arrived already. Fails with
   * {@link TusException} {@link ErrorCode#MAX_SIZE_EXCEEDED}, storing nothing, if the length
   * exceeds {@link S3StoreConfig#maxUploadSize()}, as {@link #create} does: the parts of a
   * deferred upload are sized for that maximum.
   */
  @Override
  public UploadInfo declareLength(UploadInfo info, long length) throws IOException {
    if (length > ctx.config().maxUploadSize()) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED,
          "length " + length + " exceeds the S3 store's maximum " + ctx.config().maxUploadSize());
    }
    return update(info.withLength(length, ctx.clock().instant()));
  }

  /**
   * Opens a session after checking the commit record against {@code info.offset()}: one HEAD in
   * S3, or none when the offset cache holds the record this process wrote last; a mismatch fails
   * with {@link TusException} {@link ErrorCode#MISMATCHED_OFFSET}. A provisional session sends
   * nothing to S3 before {@code commit()}: it buffers its whole chunk on the temp disk (bounded by
   * the client's chunk size; a chunk that alone needs more than the temp budget fails with {@link
   * IOException}).
   */
  @Override
  public AppendSession openAppend(UploadInfo info, boolean provisional) throws IOException {
    if (info.isComplete()) {
      return new CompleteSession(info);
    }
    TailRecord record = bounded(() -> ctx.tails().read(info.id()).orElse(TailRecord.EMPTY));
    if (record.offset() != info.offset()) {
      ctx.cache().invalidate(info.id());
      throw new TusException(
          ErrorCode.MISMATCHED_OFFSET,
          "stored offset is " + record.offset() + ", session expected " + info.offset());
    }
    return new S3AppendSession(ctx, completer, info, record, provisional);
  }

  /**
   * A ranged GET of the object of a complete upload. For an incomplete upload only bytes still in
   * the {@code .part} tail can be read; other ranges fail with {@link IOException} because S3 has
   * no way to read the parts of an incomplete multipart upload.
   */
  @Override
  public ReadableByteChannel openRead(UploadInfo info, long position, long length)
      throws IOException {
    return bounded(() -> openReadNow(info, position, length));
  }

  private ReadableByteChannel openReadNow(UploadInfo info, long position, long length)
      throws IOException {
    if (length == 0) {
      return Channels.newChannel(InputStream.nullInputStream());
    }
    if (info.isComplete()) {
      return new RangeChannel(
          ctx.objects().getRange(ctx.layout().dataKey(info.id()), position, length), length);
    }
    TailRecord record = ctx.tails().read(info.id()).orElse(TailRecord.EMPTY);
    if (position < record.base() || position + length > record.offset()) {
      throw new IOException(
          "bytes "
              + position
              + ".."
              + (position + length)
              + " of incomplete upload "
              + info.id()
              + " are not readable: S3 can read only its tail "
              + record.base()
              + ".."
              + record.offset()
              + " before completion");
    }
    return new RangeChannel(ctx.tails().open(info.id(), position - record.base(), length), length);
  }

  /** HEAD of the bucket, and a check that the temp directory is writable. */
  @Override
  public void probe() throws IOException {
    bounded(
        () -> {
          ctx.objects().headBucket();
          return null;
        });
    if (!ctx.uploader().temp().isWritable()) {
      throw new IOException(
          "S3 temp directory " + ctx.uploader().temp().dir() + " is not writable");
    }
  }

  /**
   * Aborts the multipart upload and deletes data, {@code .info}, {@code .part} and the expiry
   * index entry of {@code info}'s expiry in one batch.
   */
  @Override
  public void terminate(UploadInfo info) throws IOException {
    bounded(
        () -> {
          terminateNow(info);
          return null;
        });
  }

  private void terminateNow(UploadInfo info) throws IOException {
    UploadId id = info.id();
    String uploadId = info.storage().get(S3Layout.UPLOAD_ID);
    if (uploadId != null) {
      ctx.multipart().abort(ctx.layout().dataKey(id), uploadId);
    }
    S3Layout layout = ctx.layout();
    List<String> keys = new java.util.ArrayList<>(
        List.of(layout.dataKey(id), layout.tailKey(id), layout.infoKey(id)));
    ExpiryEntry.of(info).ifPresent(entry -> keys.add(layout.markerKey(entry)));
    ctx.objects().deleteAll(keys);
    ctx.tails().absent(id);
    ctx.cache().remove(id);
  }

  /**
   * Fills {@code target} from the partials' objects: server-side with {@code UploadPartCopy} for
   * every range that can be a part of its own (at least 5 MiB with nothing buffered, or the end of
   * the upload), by streaming (ranged GET, buffered into parts like an append) for the rest; see
   * the module's README. So partials of at least 5 MiB (the last may be smaller) never pass through
   * this process, and small partials are streamed.
   */
  @Override
  public UploadInfo concatenate(UploadInfo target, List<UploadInfo> partials) throws IOException {
    return concatenation.concatenate(target, partials);
  }

  /**
   * {@inheritDoc} The record is the object {@code <infoPrefix><id>.used}, written with {@code
   * If-None-Match: *} and never deleted. It holds a random token, so that a PUT retried after its
   * own first attempt succeeded (answered 412) is still recognised as this call's.
   */
  @Override
  public boolean recordUse(UploadId id) throws IOException {
    String key = ctx.layout().usedKey(id);
    byte[] token = UploadCreator.token().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    if (ctx.objects().putIfAbsent(key, token)) {
      return true;
    }
    return ctx.objects().getBytes(key).map(stored -> java.util.Arrays.equals(stored, token)).orElse(false);
  }

  /**
   * The ids of every {@code .info} under the info prefix, listed lazily (ListObjectsV2 pages).
   * Delimited, so the expiry index's markers below {@code <infoPrefix>.expiry/} (one per upload)
   * are not paged through: a listing costs one LIST per 1,000 uploads' objects, not per 1,000 of
   * those and their markers.
   */
  @Override
  public Stream<UploadId> list() throws IOException {
    return ctx.objects()
        .keysDirectlyUnder(ctx.layout().infoPrefix())
        .map(ctx.layout()::idOfInfoKey)
        .flatMap(Optional::stream);
  }

  /**
   * {@inheritDoc} One delimited LIST of {@code <infoPrefix>.expiry/} that stops at the first bucket
   * not yet begun, then a LIST per 1,000 markers of each due bucket ({@link S3ExpiryIndex}).
   */
  @Override
  public Stream<ExpiryEntry> due(java.time.Instant now) {
    return ctx.expiry().due(now);
  }

  /** {@inheritDoc} A listing of {@code <infoPrefix>.expiry/} (one LIST per 1,000 entries). */
  @Override
  public Stream<ExpiryEntry> entries() {
    return ctx.expiry().entries();
  }

  /** {@inheritDoc} One PUT of an empty marker (written again if it exists: S3 cannot tell). */
  @Override
  public void record(UploadInfo info) throws IOException {
    Optional<ExpiryEntry> entry = ExpiryEntry.of(info);
    if (entry.isPresent()) {
      bounded(
          () -> {
            ctx.expiry().add(entry.get());
            return null;
          });
    }
  }

  @Override
  public void forget(ExpiryEntry entry) throws IOException {
    bounded(
        () -> {
          ctx.expiry().remove(entry);
          return null;
        });
  }

  /** Waits for part uploads in flight (up to a minute), then closes the S3 client. Idempotent. */
  @Override
  public void close() {
    executor.close();
    s3.close();
  }

  TempSpace tempSpace() {
    return ctx.uploader().temp();
  }

  Concatenation concatenation() {
    return concatenation;
  }

  /** Forgets the offset cache and the remembered tail records, as a restart would. */
  void dropCache() {
    ctx.cache().clear();
    ctx.tails().clear();
  }

  /** Runs a store call within the call timeout (see {@link S3Calls#within}). */
  private <T> T bounded(S3Calls.Work<T> work) throws IOException {
    return S3Calls.within(ctx.config().callTimeout(), work);
  }

  private static int threads(S3StoreConfig config) {
    long buffers = config.tempBudget() / config.partSize();
    return (int) Math.max(2, Math.min(32, buffers));
  }
}
