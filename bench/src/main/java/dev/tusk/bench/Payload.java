package dev.tusk.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Pre-generated pseudo-random bytes in one direct buffer. The logical byte stream at offset {@code o}
 * is {@code pattern[o mod size]}, so any offset of any upload can be sent or verified without
 * generating data on the critical path. Immutable and thread-safe: every call works on a duplicate.
 */
final class Payload {
  static final int DEFAULT_SIZE = 32 << 20;

  private final ByteBuffer pattern;
  private final int size;
  private final long seed;

  Payload(int size, long seed) {
    if (size <= 0 || size % 8 != 0) {
      throw new IllegalArgumentException("payload size must be a positive multiple of 8: " + size);
    }
    this.size = size;
    this.seed = seed;
    ByteBuffer buf = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    SplittableRandom random = new SplittableRandom(seed);
    while (buf.hasRemaining()) {
      buf.putLong(random.nextLong());
    }
    this.pattern = buf.clear().asReadOnlyBuffer();
  }

  int size() {
    return size;
  }

  /** The seed, to regenerate the same stream in another process. */
  long seed() {
    return seed;
  }

  /** A read-only view of at most {@code max} bytes of the stream starting at {@code offset}. */
  ByteBuffer slice(long offset, long max) {
    int start = (int) Math.floorMod(offset, (long) size);
    int len = (int) Math.min(max, size - start);
    return pattern.duplicate().limit(start + len).position(start);
  }

  /**
   * Whether {@code got} (position to limit) equals the stream from {@code offset}. Does not move
   * {@code got}'s position.
   */
  boolean matches(ByteBuffer got, long offset) {
    ByteBuffer rest = got.duplicate();
    long at = offset;
    while (rest.hasRemaining()) {
      ByteBuffer expected = slice(at, rest.remaining());
      int n = expected.remaining();
      ByteBuffer part = rest.duplicate().limit(rest.position() + n);
      if (part.mismatch(expected) != -1) {
        return false;
      }
      rest.position(rest.position() + n);
      at += n;
    }
    return true;
  }
}
