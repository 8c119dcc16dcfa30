package dev.tusk.store.fs;

import dev.tusk.core.UploadId;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks, one chosen per upload id: serializes work on one upload's files without a
 * lock object per upload (two uploads may share a stripe, which only costs them some waiting).
 * Thread-safe.
 */
final class Stripes {
  private static final int COUNT = 64;
  private final ReentrantLock[] locks = new ReentrantLock[COUNT];

  Stripes() {
    for (int i = 0; i < COUNT; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** The lock of {@code id}'s stripe. */
  ReentrantLock of(UploadId id) {
    return locks[Math.floorMod(id.hashCode(), COUNT)];
  }
}
