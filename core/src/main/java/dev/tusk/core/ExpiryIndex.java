package dev.tusk.core;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * Capability: an index of uploads by expiry, so that an expiry sweep costs what has expired, not
 * what is stored. The store keeps it itself: {@link UploadStore#create} and every {@link
 * UploadStore#update} that changes an upload's expiry write the entry of the new expiry before the
 * info and remove the old one after it, and {@link Terminator#terminate} removes the entry. An
 * upload that never expires has no entry.
 *
 * <p><b>Not exact, by design.</b> A crash between those writes, an info deleted behind the
 * store's back, or data written before the index existed leave two kinds of defect, which the
 * server repairs: an entry without its upload, or in another bucket than the upload's expiry
 * (the sweeper looks the upload up and removes such an entry when it reaches it), and an upload
 * without an entry (a full scan of {@link UploadLister#list} against {@link #entries} adds the
 * entries that are missing, with {@link #record}). Every method is idempotent, so that two
 * instances of a fleet repairing at the same time do no harm.
 *
 * <p>Thread-safe; every method blocks on storage I/O (storage executor only). Streams are lazy,
 * must be closed, and may throw {@link java.io.UncheckedIOException} while consumed.
 */
public interface ExpiryIndex {
  /**
   * The entries of every bucket that has begun at {@code now} ({@link ExpiryEntry#isDue}), oldest
   * bucket first: the uploads that have expired, and those of the current minute that expire
   * before it ends. Reads the index only, never an upload's info: with nothing due it costs a
   * listing of the index's buckets.
   */
  Stream<ExpiryEntry> due(java.time.Instant now) throws IOException;

  /** Every entry, in no particular order: what the repair scan compares with the uploads. */
  Stream<ExpiryEntry> entries() throws IOException;

  /** Writes the entry of {@code info}'s expiry unless it is there; nothing if it never expires. */
  void record(UploadInfo info) throws IOException;

  /** Removes {@code entry}; nothing happens if it is not there. */
  void forget(ExpiryEntry entry) throws IOException;
}
