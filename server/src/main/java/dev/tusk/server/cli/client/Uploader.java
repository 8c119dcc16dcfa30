package dev.tusk.server.cli.client;

import dev.tusk.server.protocol.ChecksumAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sends bytes to an upload chunk by chunk, one PATCH per chunk, and gets through failures: a
 * retryable failure waits the next of the retry delays, asks the offset again with HEAD and goes
 * on from there; a 460 (checksum mismatch) sends the chunk again, at most {@link
 * #CHECKSUM_RESENDS} times. Each chunk starts with a fresh count of retries, so an upload that
 * makes progress is never given up on for failures spread over its life.
 */
final class Uploader {
  static final int CHECKSUM_RESENDS = 3;

  private final TusClient client;
  private final Retries retries;
  private final int chunkSize;
  private final Optional<ChecksumAlgorithm> checksum;

  Uploader(TusClient client, Retries retries, int chunkSize, Optional<ChecksumAlgorithm> checksum) {
    this.client = client;
    this.retries = retries;
    this.chunkSize = chunkSize;
    this.checksum = checksum;
  }

  /** A call that may be tried again. */
  interface Call<T> {
    T run() throws RequestFailure, InterruptedException;
  }

  /** {@code call}, tried again after each retryable failure while delays are left. */
  <T> T withRetries(Call<T> call) throws RequestFailure, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.run();
      } catch (RequestFailure f) {
        retries.pause(retries.delay(attempt, f).orElseThrow(() -> f));
      }
    }
  }

  /**
   * Uploads bytes {@code [base + offset, base + length)} of {@code file} to {@code upload}, whose
   * offset is {@code offset}; {@code meter} slot {@code part} follows the upload's offset.
   */
  void sendFile(URI upload, FileChannel file, long base, long length, long offset, Meter meter, int part)
      throws RequestFailure, InterruptedException, IOException {
    byte[] buffer = new byte[(int) Math.min(chunkSize, Math.max(1, length - offset))];
    meter.set(part, offset);
    while (offset < length) {
      int n = (int) Math.min(buffer.length, length - offset);
      readFully(file, base + offset, buffer, n);
      offset = sendChunk(upload, offset, buffer, n, OptionalLong.empty(), meter, part);
    }
  }

  /**
   * Uploads {@code in} to a new upload of deferred length at {@code upload}, declaring the length
   * with the last PATCH. Returns the length.
   */
  long sendStream(URI upload, InputStream in, Meter meter) throws RequestFailure, InterruptedException, IOException {
    byte[] buffer = new byte[chunkSize];
    byte[] next = new byte[chunkSize];
    int n = in.readNBytes(buffer, 0, chunkSize);
    long offset = 0;
    while (true) {
      int following = n < chunkSize ? 0 : in.readNBytes(next, 0, chunkSize);
      boolean last = following == 0;
      OptionalLong declare = last ? OptionalLong.of(offset + n) : OptionalLong.empty();
      offset = sendChunk(upload, offset, buffer, n, declare, meter, 0);
      if (last) {
        return offset;
      }
      byte[] swap = buffer;
      buffer = next;
      next = swap;
      n = following;
    }
  }

  /**
   * PATCHes {@code data[0, n)}, which belongs at {@code start}, retrying as the class says.
   * Returns the upload's offset after it ({@code start + n}).
   */
  long sendChunk(URI upload, long start, byte[] data, int n, OptionalLong declare, Meter meter, int part)
      throws RequestFailure, InterruptedException {
    long offset = start;
    int attempt = 0;
    int mismatches = 0;
    boolean ask = false;
    while (true) {
      try {
        if (ask) {
          TusClient.Head head = client.head(upload);
          offset = head.offset();
          meter.set(part, offset);
          if (offset == start + n && head.length().isPresent()) {
            return offset;
          }
          if (offset < start || offset > start + n) {
            throw new RequestFailure(0, "the server's offset " + offset + " is outside the chunk "
                + start + ".." + (start + n) + " being sent", Optional.empty());
          }
          ask = false;
        }
        if (offset == start + n && declare.isEmpty()) {
          return offset;
        }
        long from = offset;
        long after = client.patch(upload, offset, data, (int) (offset - start), (int) (start + n - offset),
            checksum, declare, sent -> meter.add(part, sent));
        meter.set(part, after);
        if (after != start + n) {
          offset = after;
          ask = after < from || after > start + n;
          continue;
        }
        return after;
      } catch (RequestFailure f) {
        if (f.status() == 460 && ++mismatches <= CHECKSUM_RESENDS) {
          ask = true;
          continue;
        }
        if (f.status() == 460) {
          throw new RequestFailure(460, f.getMessage() + " (" + mismatches + " times for the bytes at "
              + offset + ")", Optional.empty());
        }
        retries.pause(retries.delay(attempt++, f).orElseThrow(() -> f));
        ask = true;
      }
    }
  }

  private static void readFully(FileChannel file, long position, byte[] into, int n) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(into, 0, n);
    while (b.hasRemaining()) {
      if (file.read(b, position + b.position()) < 0) {
        throw new IOException("the file ended at " + (position + b.position()) + " bytes while uploading");
      }
    }
  }

  /**
   * The bytes done of an upload made of parts: per part the server's offset plus what the current
   * PATCH has sent so far. Thread-safe; tells the transfer after every change.
   */
  static final class Meter {
    private final AtomicLongArray parts;
    private final Reporter.Transfer transfer;

    Meter(int parts, Reporter.Transfer transfer) {
      this.parts = new AtomicLongArray(parts);
      this.transfer = transfer;
    }

    void set(int part, long offset) {
      parts.set(part, offset);
      transfer.progress(total());
    }

    void add(int part, long bytes) {
      parts.addAndGet(part, bytes);
      transfer.progress(total());
    }

    long total() {
      long sum = 0;
      for (int i = 0; i < parts.length(); i++) {
        sum += parts.get(i);
      }
      return sum;
    }
  }

  static List<long[]> split(long size, int parts) {
    int n = (int) Math.max(1, Math.min(parts, size));
    long each = (size + n - 1) / n;
    List<long[]> ranges = new java.util.ArrayList<>();
    for (long at = 0; at < size || ranges.isEmpty(); at += each) {
      ranges.add(new long[] {at, Math.min(each, size - at)});
    }
    return ranges;
  }
}
