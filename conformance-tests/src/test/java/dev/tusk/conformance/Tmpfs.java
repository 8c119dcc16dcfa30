package dev.tusk.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on a directory for one test ({@code mount -t tmpfs -o size=...}),
 * so the test can fill it. Mounting needs root (or CAP_SYS_ADMIN); where it is refused the test is
 * aborted as skipped with the reason, which is also printed to standard error so a run without the
 * privilege does not look like a pass. {@link #close()} unmounts, lazily if something still holds
 * a file open.
 */
final class Tmpfs implements AutoCloseable {
  private final Path mountPoint;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code size} (e.g. {@code "8m"}) on {@code dir}, or aborts the test. */
  static Tmpfs mountOrSkip(Path dir, String size) throws Exception {
    Files.createDirectories(dir);
    Result mount = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString());
    if (mount.exit() != 0) {
      String reason =
          "SKIPPED: cannot mount a tmpfs of "
              + size
              + " (needs root or CAP_SYS_ADMIN; exit "
              + mount.exit()
              + ": "
              + mount.output().strip()
              + "). The disk-full behaviour was NOT tested.";
      System.err.println("*** " + reason + " ***");
      assumeTrue(false, reason);
    }
    return new Tmpfs(dir);
  }

  Path path() {
    return mountPoint;
  }

  /** Writes zeros into {@code name} until the file system is full; returns how many were written. */
  long fill(String name) throws IOException {
    Path filler = mountPoint.resolve(name);
    byte[] block = new byte[64 * 1024];
    long written = 0;
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        try {
          out.write(block);
          out.flush();
          written += block.length;
        } catch (IOException full) {
          break;
        }
      }
    } catch (IOException closing) {
      // a close after the failed write may report the same lack of space
    }
    for (int size = block.length / 2; size > 0; size /= 2) { // the last partial page, too
      try (var out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
        out.write(block, 0, size);
        written += size;
      } catch (IOException full) {
        // smaller next
      }
    }
    return written;
  }

  @Override
  public void close() throws Exception {
    if (run("umount", mountPoint.toString()).exit() != 0) {
      Result lazy = run("umount", "-l", mountPoint.toString());
      if (lazy.exit() != 0) {
        throw new IOException("could not unmount " + mountPoint + ": " + lazy.output());
      }
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.toString());
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, String.join(" ", command) + " did not finish within 30 s");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
