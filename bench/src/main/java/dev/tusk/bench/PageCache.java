package dev.tusk.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Hands every server the same kind of memory for its page cache. On these VMs (a {@code
 * virtio_balloon} guest) memory the kernel has not used for a while is given back to the host and
 * faults in again on first use: writing 2 GiB into the page cache runs at about 600 MB/s on such
 * memory and at 2.6 GB/s on memory freed a moment ago. Without this step a scenario's MB/s depended
 * on how long ago the previous server's files were deleted. {@link #recycle} writes {@code bytes}
 * into a scratch file and deletes it right before the measured phase, so the server under test
 * writes into just-freed memory, the same for every target. Not measured.
 */
final class PageCache {
  private PageCache() {}

  /** Writes {@code bytes} of zeros to a file in {@code dir}, then deletes it. */
  static void recycle(Path dir, long bytes) throws IOException {
    Path scratch = Files.createTempFile(dir, "page-cache-", ".tmp");
    try (FileChannel out = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      long written = 0;
      while (written < bytes) {
        zeros.clear();
        zeros.limit((int) Math.min(zeros.capacity(), bytes - written));
        written += out.write(zeros, written);
      }
    } finally {
      Files.deleteIfExists(scratch);
    }
  }
}
