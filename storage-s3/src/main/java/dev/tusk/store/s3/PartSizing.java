package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3StoreConfig.MAX_PARTS;
import static dev.tusk.store.s3.S3StoreConfig.MAX_PART_SIZE;
import static dev.tusk.store.s3.S3StoreConfig.MIB;
import static dev.tusk.store.s3.S3StoreConfig.MIN_PART_SIZE;



/** Pure part-size arithmetic that keeps every multipart upload within S3's 10,000 parts. */
final class PartSizing {
  private PartSizing() {}

  /**
   * The part size for an upload of {@code total} bytes (its length, or the maximum upload size
   * while the length is deferred): {@code preferred}, or the smallest whole number of MiB that
   * needs at most 10,000 parts if {@code preferred} is too small.
   */
  static long partSize(long preferred, long total) {
    long needed = ceilDiv(total, MAX_PARTS);
    if (preferred >= needed) {
      return preferred;
    }
    return Math.min(MAX_PART_SIZE, ceilDiv(needed, MIB) * MIB);
  }

  /**
   * Whether a commit may upload its buffered bytes as a part shorter than {@code partSize} (but at
   * least 5 MiB) instead of keeping them as the {@code .part} tail: only if the parts still needed
   * afterwards, at full size, keep the upload within 10,000 parts.
   *
   * @param partNumber the number the short part would get
   * @param offsetAfter the upload's offset once the short part is uploaded
   * @param limit the upload's length, or the maximum upload size while deferred
   */
  static boolean mayCutShortPart(
      long buffered, int partNumber, long offsetAfter, long limit, long partSize) {
    if (buffered < MIN_PART_SIZE) {
      return false;
    }
    long partsLeft = ceilDiv(Math.max(0, limit - offsetAfter), partSize);
    return partNumber + partsLeft <= MAX_PARTS;
  }

  static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
