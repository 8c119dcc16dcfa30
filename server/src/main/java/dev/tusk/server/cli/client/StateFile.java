package dev.tusk.server.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The uploads and downloads this machine may resume: one small JSON file ({@code
 * $XDG_STATE_HOME/tusk/uploads.json}, else {@code ~/.local/state/tusk/uploads.json}), keyed by a
 * fingerprint. Every change reads, edits and rewrites the file under an exclusive lock on a
 * sibling {@code .lock} file, then moves the new text into place, so concurrent commands and a
 * crash mid-write leave a whole file. The file may hold signed links: it is created owner-only.
 */
final class StateFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final TypeReference<TreeMap<String, Entry>> TYPE = new TypeReference<>() {};

  /**
   * One remembered transfer. An upload has {@code url} or, for {@code --parallel}, {@code parts};
   * a download has {@code url} and the validator ({@code etag} or {@code lastModified}).
   */
  record Entry(String what, String url, List<String> parts, String etag, String lastModified) {}

  private final Path file;

  StateFile(Path file) {
    this.file = file;
  }

  /** Where the state is kept. */
  Path path() {
    return file;
  }

  /** The default location from the environment (XDG Base Directory specification). */
  static Path defaultPath(Map<String, String> env) {
    String state = env.get("XDG_STATE_HOME");
    Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
        ? Path.of(state)
        : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("tusk").resolve("uploads.json");
  }

  /** A key for the parts of a fingerprint (they are hashed: the file keeps no path in its keys). */
  static String key(Object... parts) {
    StringBuilder b = new StringBuilder();
    for (Object p : parts) {
      b.append(p).append('\n');
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Optional<Entry> get(String key) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.ofNullable(read().get(key));
  }

  void put(String key, Entry entry) throws IOException {
    edit(m -> m.put(key, entry));
  }

  void remove(String key) throws IOException {
    if (Files.exists(file)) {
      edit(m -> m.remove(key));
    }
  }

  private void edit(Consumer<TreeMap<String, Entry>> change) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path lock = dir.resolve(file.getFileName() + ".lock");
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      TreeMap<String, Entry> map = Files.exists(file) ? read() : new TreeMap<>();
      change.accept(map);
      Path temp = Files.createTempFile(dir, ".uploads", ".tmp");
      try {
        Files.write(temp, JSON.writeValueAsBytes(map));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  private TreeMap<String, Entry> read() throws IOException {
    byte[] text = Files.readAllBytes(file);
    if (text.length == 0) {
      return new TreeMap<>();
    }
    try {
      return JSON.readValue(text, TYPE);
    } catch (IOException unreadable) {
      throw new IOException("the state file " + file + " is not readable (" + unreadable.getMessage()
          + "); remove it or pass --no-resume", unreadable);
    }
  }
}
