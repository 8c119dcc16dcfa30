package dev.tusk.server.cli.client;

import dev.tusk.server.cli.client.Uploader.Meter;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One file to one upload, resumed when the state file remembers it: HEAD tells the offset to go on
 * from (a 404 or 410 forgets it and starts over). With {@code parallel > 1} the file is cut into
 * that many parts uploaded at once as partial uploads, then joined by a final one.
 */
final class FileUpload {
  private final Uploader uploader;
  private final TusClient client;
  private final Optional<StateFile> state;
  private final URI endpoint;
  private final int parallel;

  FileUpload(Uploader uploader, TusClient client, Optional<StateFile> state, URI endpoint, int parallel) {
    this.uploader = uploader;
    this.client = client;
    this.state = state;
    this.endpoint = endpoint;
    this.parallel = parallel;
  }

  /** The key of a file in the state file: absolute path, size, modification time, endpoint. */
  static String fingerprint(Path file, URI endpoint) throws IOException {
    Path p = file.toAbsolutePath().normalize();
    return StateFile.key("upload", p, Files.size(p), Files.getLastModifiedTime(p).toMillis(), endpoint);
  }

  /** Uploads {@code file}; the transfer hears progress, then done or failed. True when done. */
  boolean run(Path file, String metadata, Reporter reporter) {
    String name = file.toString();
    long size;
    String key;
    try {
      size = Files.size(file);
      key = fingerprint(file, endpoint);
    } catch (IOException e) {
      reporter.unstarted(name).failed(null, 0, "cannot read: " + e.getMessage());
      return false;
    }
    List<long[]> ranges = Uploader.split(size, parallel);
    Reporter.Transfer transfer = null;
    Meter meter = null;
    String shown = null;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      List<URI> uploads = new ArrayList<>();
      List<Long> offsets = new ArrayList<>();
      resume(key, ranges.size(), uploads, offsets);
      if (uploads.isEmpty()) {
        for (long[] r : ranges) {
          Optional<String> concat = ranges.size() > 1 ? Optional.of("partial") : Optional.empty();
          String meta = ranges.size() > 1 ? "" : metadata;
          uploads.add(uploader.withRetries(() -> client.create(endpoint, OptionalLong.of(r[1]), meta, concat)));
          offsets.add(0L);
        }
        remember(key, uploads);
      }
      shown = ranges.size() == 1 ? uploads.get(0).toString() : null;
      long resumed = offsets.stream().mapToLong(Long::longValue).sum();
      transfer = reporter.start(name, size, resumed);
      meter = new Meter(ranges.size(), transfer);
      sendAll(channel, ranges, uploads, offsets, meter);
      URI done = uploads.get(0);
      if (ranges.size() > 1) {
        StringBuilder concat = new StringBuilder("final;");
        for (URI u : uploads) {
          concat.append(concat.length() > 6 ? " " : "").append(u);
        }
        done = uploader.withRetries(() -> client.create(endpoint, OptionalLong.empty(), metadata,
            Optional.of(concat.toString())));
      }
      forget(key);
      transfer.done(done.toString(), size);
      return true;
    } catch (RequestFailure | IOException e) {
      fail(transfer, reporter, name, shown, meter, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(transfer, reporter, name, shown, meter, "interrupted");
    }
    return false;
  }

  private void sendAll(FileChannel channel, List<long[]> ranges, List<URI> uploads, List<Long> offsets, Meter meter)
      throws RequestFailure, IOException, InterruptedException {
    if (ranges.size() == 1) {
      uploader.sendFile(uploads.get(0), channel, 0, ranges.get(0)[1], offsets.get(0), meter, 0);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(ranges.size());
    try {
      List<Future<Void>> parts = new ArrayList<>();
      for (int i = 0; i < ranges.size(); i++) {
        int part = i;
        parts.add(pool.submit(() -> {
          uploader.sendFile(uploads.get(part), channel, ranges.get(part)[0], ranges.get(part)[1],
              offsets.get(part), meter, part);
          return null;
        }));
      }
      for (Future<Void> f : parts) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RequestFailure rf) {
            throw rf;
          }
          if (cause instanceof IOException io) {
            throw io;
          }
          throw new IOException(cause);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Fills {@code uploads} and {@code offsets} from a remembered upload the server still has. */
  private void resume(String key, int parts, List<URI> uploads, List<Long> offsets)
      throws IOException, RequestFailure, InterruptedException {
    if (state.isEmpty()) {
      return;
    }
    Optional<StateFile.Entry> entry = state.get().get(key);
    if (entry.isEmpty()) {
      return;
    }
    List<String> urls = entry.get().parts() != null ? entry.get().parts()
        : entry.get().url() == null ? List.of() : List.of(entry.get().url());
    if (urls.size() != parts) {
      return;
    }
    for (String url : urls) {
      URI u = URI.create(url);
      try {
        offsets.add(uploader.withRetries(() -> client.head(u)).offset());
        uploads.add(u);
      } catch (RequestFailure f) {
        if (f.status() != 404 && f.status() != 410) {
          throw f;
        }
        uploads.clear();
        offsets.clear();
        forget(key);
        return;
      }
    }
  }

  private void remember(String key, List<URI> uploads) throws IOException {
    if (state.isPresent()) {
      List<String> urls = uploads.stream().map(URI::toString).toList();
      state.get().put(key, urls.size() == 1
          ? new StateFile.Entry("upload", urls.get(0), null, null, null)
          : new StateFile.Entry("upload", null, urls, null, null));
    }
  }

  private void forget(String key) throws IOException {
    if (state.isPresent()) {
      state.get().remove(key);
    }
  }

  private static void fail(Reporter.Transfer transfer, Reporter reporter, String name, String url, Meter meter,
      String reason) {
    Reporter.Transfer t = transfer != null ? transfer : reporter.unstarted(name);
    t.failed(url, meter == null ? 0 : meter.total(), reason);
  }
}
