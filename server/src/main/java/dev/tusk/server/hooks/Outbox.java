package dev.tusk.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: one small JSON file per (event, receiver), written atomically (temp file,
 * force, rename, force the directory). {@code <event>.<receiver>.pending} is staged before the
 * event has happened for sure (before the response of the request that causes it), {@code
 * <event>.<receiver>.event} is ready for delivery and is deleted once delivered; {@code dead/}
 * holds events given up on. Files are readable by the owner only (they hold the client's request
 * headers). One server instance owns a directory. Thread-safe; blocking.
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  static final String READY = ".event";
  static final String PENDING = ".pending";
  private static final String TMP = ".tmp";

  /** One event for one receiver. */
  record Entry(
      String eventId, HookType type, String receiver, String uploadId, Instant createdAt,
      byte[] request) {
    String baseName() {
      return eventId + "." + receiver;
    }

    /** This entry without its request body, to wait for a retry without holding it in memory. */
    Entry light() {
      return new Entry(eventId, type, receiver, uploadId, createdAt, null);
    }
  }

  private final Path dir;
  private final Path dead;
  private final boolean fsync;

  Outbox(Path dir, boolean fsync) throws IOException {
    this.dir = dir.toAbsolutePath();
    this.dead = this.dir.resolve("dead");
    this.fsync = fsync;
    Files.createDirectories(dead);
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(this.dir, "*" + TMP)) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
      }
    }
  }

  Path dir() {
    return dir;
  }

  /** Writes {@code entry} as pending or ready; returns once it is durable. */
  void write(Entry entry, boolean pending) throws IOException {
    ObjectNode node = HookRequests.JSON.createObjectNode();
    node.put("v", 1);
    node.put("eventId", entry.eventId());
    node.put("type", entry.type().wireName());
    node.put("receiver", entry.receiver());
    node.put("uploadId", entry.uploadId());
    node.put("createdAt", entry.createdAt().toString());
    node.set("request", HookRequests.JSON.readTree(entry.request()));
    Path tmp = dir.resolve(entry.baseName() + "." + EventIds.random() + TMP);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ownerOnly(tmp);
      ByteBuffer buf = ByteBuffer.wrap(HookRequests.JSON.writeValueAsBytes(node));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (fsync) {
        ch.force(true);
      }
    }
    Files.move(tmp, file(entry, pending), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDir();
  }

  /** Makes a pending entry ready; false if there is no such pending entry. */
  boolean promote(Entry entry) throws IOException {
    try {
      Files.move(file(entry, true), file(entry, false), StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false;
    }
    syncDir();
    return true;
  }

  void delete(Entry entry, boolean pending) throws IOException {
    Files.deleteIfExists(file(entry, pending));
  }

  /** Moves a ready entry to {@code dead/}. */
  void bury(Entry entry) throws IOException {
    try {
      Files.move(file(entry, false), dead.resolve(entry.baseName() + READY), StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException ignored) {
      // already gone
    }
  }

  /** The ready entry as stored (with its request body), empty if it is no longer there. */
  Optional<Entry> reload(Entry entry) throws IOException {
    return read(file(entry, false));
  }

  /** Every ready (or pending) entry on disk; unreadable files are moved to {@code dead/}. */
  List<Entry> list(boolean pending) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + (pending ? PENDING : READY))) {
      for (Path p : files) {
        read(p).ifPresent(entries::add);
      }
    }
    return entries;
  }

  private Optional<Entry> read(Path p) throws IOException {
    try {
      JsonNode node = HookRequests.JSON.readTree(Files.readAllBytes(p));
      HookType type = HookType.parse(node.path("type").asText()).orElseThrow();
      return Optional.of(
          new Entry(
              node.path("eventId").asText(),
              type,
              node.path("receiver").asText(),
              node.path("uploadId").asText(),
              Instant.parse(node.path("createdAt").asText()),
              HookRequests.JSON.writeValueAsBytes(node.path("request"))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.error("event=outbox_unreadable file={} error={}", p, e.toString());
      try {
        Files.move(p, dead.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      } catch (FileAlreadyExistsException ignored) {
        // keep the first
      }
      return Optional.empty();
    }
  }

  private Path file(Entry entry, boolean pending) {
    return dir.resolve(entry.baseName() + (pending ? PENDING : READY));
  }

  private static void ownerOnly(Path p) {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException ignored) {
      // not a POSIX file system
    }
  }

  private void syncDir() {
    if (!fsync) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // some platforms cannot open a directory; the rename is atomic all the same
    }
  }
}
