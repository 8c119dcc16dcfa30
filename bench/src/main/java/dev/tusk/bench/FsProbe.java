package dev.tusk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Measures the file system under the data directory without any server: how fast N files of 16 KiB
 * are created (open, write, close) in a fresh directory, in the same directory right after N files
 * were deleted from it, in a new sibling directory right after those deletions, and in the same
 * directory again after a {@code sync}. This is the ext4 effect the small scenario must stay clear
 * of (slower inode allocation right after tens of thousands of deletions).
 */
final class FsProbe {
  private FsProbe() {}

  static void run(Path base, int files, int size, Result result) throws IOException {
    Path same = Files.createDirectories(base.resolve("fsprobe-same"));
    Path sibling = base.resolve("fsprobe-sibling");
    try {
      sync();
      result.put("files", files);
      result.put("fresh_files_per_s", create(same, files, size, 1));
      result.put("delete_files_per_s", delete(same, files));
      result.put("same_dir_after_delete_files_per_s", create(same, files, size, 2));
      delete(same, files);
      Files.createDirectories(sibling);
      result.put("new_dir_after_delete_files_per_s", create(sibling, files, size, 3));
      delete(sibling, files);
      sync();
      result.put("same_dir_after_delete_and_sync_files_per_s", create(same, files, size, 4));
      delete(same, files);
    } finally {
      Compare.deleteTree(same);
      Compare.deleteTree(sibling);
    }
  }

  /** Creates and deletes {@code files} files in {@code dir}: leaves it as a just-emptied dir. */
  static void dirty(Path dir, int files, int size) throws IOException {
    create(dir, files, size, 5);
    delete(dir, files);
  }

  /** Creates files named like upload ids; returns files per second. */
  private static double create(Path dir, int files, int size, long seed) throws IOException {
    ByteBuffer data = ByteBuffer.allocateDirect(size);
    SplittableRandom random = new SplittableRandom(seed);
    long start = System.nanoTime();
    for (int i = 0; i < files; i++) {
      String name = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
      try (FileChannel file = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        data.clear();
        while (data.hasRemaining()) {
          file.write(data);
        }
      }
    }
    return files / ((System.nanoTime() - start) / 1e9);
  }

  private static double delete(Path dir, int files) throws IOException {
    long start = System.nanoTime();
    try (Stream<Path> list = Files.list(dir)) {
      list.forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return files / ((System.nanoTime() - start) / 1e9);
  }

  static void sync() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (IOException e) {
      // best effort: without sync the next measurement only gets noisier
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
