package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3StoreConfig.MAX_PARTS;
import static dev.tusk.store.s3.S3StoreConfig.MAX_PART_SIZE;
import static dev.tusk.store.s3.S3StoreConfig.MIN_PART_SIZE;

import java.util.ArrayList;
import java.util.List;

/**
 * How to assemble a final upload from partials: a sequence of steps, each either a server-side copy
 * ({@code UploadPartCopy}) of a byte range of one partial into a part of its own, or a streamed
 * range (GET, then buffered into parts like an append). Pure; computed before any request.
 *
 * <p>A range is copied when the part it would become is allowed: nothing is buffered and the range
 * is at least 5 MiB, or it ends the upload (the last part may be small). Otherwise it is streamed
 * into the part buffer, which is uploaded whenever it reaches {@code partSize}. So partials of at
 * least 5 MiB are copied whole, small ones are streamed, and a large partial following small ones
 * is streamed only until the buffer is full and copied from there on. If the result would need more
 * than 10,000 parts, everything is streamed.
 *
 * @param steps the steps in order
 * @param parts the number of parts the steps produce
 */
record ConcatPlan(List<Step> steps, int parts) {

  /** One partial: its final object's key and its length. */
  record Source(String key, long length) {}

  /** Bytes {@code [from, from + length)} of {@code source}, copied or streamed. */
  record Step(Source source, long from, long length, boolean copy) {}

  ConcatPlan {
    steps = List.copyOf(steps);
  }

  static ConcatPlan of(List<Source> sources, long partSize) {
    ConcatPlan mixed = mixed(sources, partSize);
    return mixed.parts() <= MAX_PARTS ? mixed : streamed(sources, partSize);
  }

  long copiedBytes() {
    return steps.stream().filter(Step::copy).mapToLong(Step::length).sum();
  }

  long streamedBytes() {
    return steps.stream().filter(s -> !s.copy()).mapToLong(Step::length).sum();
  }

  private static ConcatPlan mixed(List<Source> sources, long partSize) {
    int last = lastNonEmpty(sources);
    List<Step> steps = new ArrayList<>();
    long buffered = 0;
    int parts = 0;
    for (int i = 0; i <= last; i++) {
      Source source = sources.get(i);
      long pos = 0;
      while (pos < source.length()) {
        long rem = source.length() - pos;
        if (buffered == 0 && (rem >= MIN_PART_SIZE || i == last)) {
          long n = copyLength(rem);
          steps.add(new Step(source, pos, n, true));
          parts++;
          pos += n;
        } else {
          long n = Math.min(rem, partSize - buffered);
          steps.add(new Step(source, pos, n, false));
          pos += n;
          buffered += n;
          if (buffered == partSize) {
            buffered = 0;
            parts++;
          }
        }
      }
    }
    return new ConcatPlan(steps, buffered > 0 ? parts + 1 : parts);
  }

  private static ConcatPlan streamed(List<Source> sources, long partSize) {
    List<Step> steps = new ArrayList<>();
    long total = 0;
    for (Source source : sources) {
      if (source.length() > 0) {
        steps.add(new Step(source, 0, source.length(), false));
        total += source.length();
      }
    }
    return new ConcatPlan(steps, (int) PartSizing.ceilDiv(total, partSize));
  }

  /** A copied part is at most 5 GiB and never leaves less than 5 MiB of its range behind. */
  private static long copyLength(long rem) {
    if (rem <= MAX_PART_SIZE) {
      return rem;
    }
    return rem - MAX_PART_SIZE >= MIN_PART_SIZE ? MAX_PART_SIZE : rem - MIN_PART_SIZE;
  }

  private static int lastNonEmpty(List<Source> sources) {
    for (int i = sources.size() - 1; i >= 0; i--) {
      if (sources.get(i).length() > 0) {
        return i;
      }
    }
    return -1;
  }
}
