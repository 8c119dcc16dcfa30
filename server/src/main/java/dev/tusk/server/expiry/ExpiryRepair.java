package dev.tusk.server.expiry;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.ExpiryIndex;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadLister;
import dev.tusk.core.UploadStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net of the expiry index: a full scan that gives every stored upload without an entry
 * the entry of its expiry (an entry lost to a crash or a power failure, uploads stored before the
 * store kept an index). It lists the index and the uploads, and reads the info only of uploads
 * that have no entry at all, so a scan of a healthy store reads no info. Run at start-up in the
 * background and then rarely, paced to a fifth of a core ({@link ScanPacer}) so that a scan of a
 * million uploads does not slow the requests served meanwhile; it removes nothing (the sweeper removes entries without an upload
 * when it reaches them), and every write is idempotent, so two instances of a fleet scanning at
 * the same time do no harm. Not thread-safe with itself; blocks on the store.
 */
public final class ExpiryRepair {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryRepair.class);
  private final UploadStore store;
  private final UploadLister lister;
  private final ExpiryIndex index;

  public ExpiryRepair(UploadStore store, UploadLister lister, ExpiryIndex index) {
    this.store = store;
    this.lister = lister;
    this.index = index;
  }

  /** One scan as fast as it goes; returns how many entries it wrote. */
  public int repairOnce() throws IOException {
    return repairOnce(ScanPacer.unpaced());
  }

  /** One scan, paced by {@code pacer} at every listed entry and upload; returns how many entries it wrote. */
  synchronized int repairOnce(ScanPacer pacer) throws IOException {
    long[] indexed = indexedIds(pacer);
    List<UploadId> missing = new ArrayList<>();
    try (Stream<UploadId> ids = lister.list()) {
      for (var it = ids.iterator(); it.hasNext(); ) {
        UploadId id = it.next();
        if (Arrays.binarySearch(indexed, hash(id)) < 0) {
          missing.add(id);
        }
        pacer.tick();
      }
    }
    int written = 0;
    for (UploadId id : missing) {
      pacer.tick();
      try {
        Optional<UploadInfo> info = store.find(id);
        if (info.isPresent() && ExpiryEntry.of(info.get()).isPresent()) {
          index.record(info.get());
          written++;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("event=expiry_repair_failed upload={} error={}", id, e.toString());
      }
    }
    return written;
  }

  /**
   * The ids that have an entry, as sorted 64-bit hashes: 8 bytes per upload instead of an object
   * each. A collision could only hide a missing entry until the next scan; at a million uploads
   * its chance is about 5 in 10^8.
   */
  private long[] indexedIds(ScanPacer pacer) throws IOException {
    long[] hashes = new long[1024];
    int n = 0;
    try (Stream<ExpiryEntry> entries = index.entries()) {
      for (var it = entries.iterator(); it.hasNext(); ) {
        if (n == hashes.length) {
          hashes = Arrays.copyOf(hashes, n * 2);
        }
        hashes[n++] = hash(it.next().id());
        pacer.tick();
      }
    }
    long[] sorted = Arrays.copyOf(hashes, n);
    Arrays.sort(sorted);
    return sorted;
  }

  /** 64-bit FNV-1a of the id's characters (ASCII by {@link UploadId}'s rule). */
  static long hash(UploadId id) {
    long h = 0xcbf29ce484222325L;
    String value = id.value();
    for (int i = 0; i < value.length(); i++) {
      h ^= value.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
