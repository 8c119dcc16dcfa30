package dev.tusk.store.s3;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * The commit record of an incomplete upload, kept as user metadata on its {@code .part} object and
 * written in the same PUT as the tail bytes, so record and tail change together atomically: parts
 * {@code 1..parts} hold bytes {@code [0, base)} and the object's body holds {@code [base, base +
 * size)}. A session only writes it after every part it names is acknowledged by S3.
 *
 * <p>The offset is therefore never ahead of what S3 durably stores, even after a crash: parts a
 * crashed session uploaded beyond {@code parts} are ignored (the next session overwrites them, and
 * completion lists only {@code 1..parts}), and a tail that was folded into a later part is no
 * longer counted once the record moves past it. An upload without a {@code .part} object has
 * committed nothing yet ({@link #EMPTY}).
 *
 * @param parts how many parts are committed
 * @param base the bytes in those parts
 * @param size the bytes in the tail object
 * @param writtenAt when the record was written (the store's clock)
 */
record TailRecord(int parts, long base, long size, Instant writtenAt) {
  static final TailRecord EMPTY = new TailRecord(0, 0, 0, Instant.EPOCH);
  private static final String PARTS = "tusk-parts";
  private static final String BASE = "tusk-base";
  private static final String WRITTEN_AT = "tusk-written-at";

  long offset() {
    return base + size;
  }

  /** Same parts, base and size; {@code writtenAt} is ignored. */
  boolean sameState(TailRecord other) {
    return parts == other.parts && base == other.base && size == other.size;
  }

  Map<String, String> metadata() {
    return Map.of(
        PARTS,
        Integer.toString(parts),
        BASE,
        Long.toString(base),
        WRITTEN_AT,
        writtenAt.toString());
  }

  /** Reads the record from the user metadata and length of a {@code .part} object. */
  static TailRecord of(String key, Map<String, String> metadata, long contentLength)
      throws IOException {
    try {
      int parts = Integer.parseInt(metadata.get(PARTS));
      long base = Long.parseLong(metadata.get(BASE));
      String written = metadata.get(WRITTEN_AT);
      Instant writtenAt = written == null ? Instant.EPOCH : Instant.parse(written);
      if (parts < 0 || base < 0 || (parts == 0) != (base == 0)) {
        throw new IllegalArgumentException("parts=" + parts + " base=" + base);
      }
      return new TailRecord(parts, base, contentLength, writtenAt);
    } catch (RuntimeException e) {
      throw new IOException("corrupt commit record on " + key + ": " + metadata, e);
    }
  }
}
