package dev.tusk.conformance.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadLister;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the download tests share: test data, digests, and creating uploads over HTTP. */
final class Transfers {
  private Transfers() {}

  /** {@code n} bytes from a PRNG seeded with {@code seed}: the same bytes for the same seed. */
  static byte[] bytes(int n, long seed) {
    byte[] out = new byte[n];
    try (InputStream in = new SeededStream(n, seed)) {
      in.readNBytes(out, 0, n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SHA-256 of {@code length} bytes of {@link SeededStream} with {@code seed}. */
  static String sha256Of(long length, long seed) throws IOException {
    MessageDigest d = digest();
    try (InputStream in = new SeededStream(length, seed)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** The {@code Upload-Metadata} header for {@code pairs} (values base64 of UTF-8). */
  static String metadata(Map<String, String> pairs) {
    StringJoiner j = new StringJoiner(",");
    pairs.forEach(
        (k, v) ->
            j.add(k + " " + Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return j.toString();
  }

  /** Creates a complete upload with tus creation-with-upload; returns its URL. */
  static String tusUpload(TuskFixture tusk, byte[] body, Map<String, String> metadata) {
    var request =
        tusk.tus()
            .header("Upload-Length", String.valueOf(body.length))
            .contentType("application/offset+octet-stream")
            .body(body);
    if (!metadata.isEmpty()) {
      request.header("Upload-Metadata", metadata(metadata));
    }
    Response r = request.post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    if (body.length > 0) {
      assertThat(r.header("Upload-Offset")).isEqualTo(String.valueOf(body.length));
    }
    return r.header("Location");
  }

  /** Creates a tus upload of declared {@code length} (or deferred if negative) without bytes. */
  static String tusCreate(TuskFixture tusk, long length, Map<String, String> metadata) {
    var request = tusk.tus();
    if (length < 0) {
      request.header("Upload-Defer-Length", "1");
    } else {
      request.header("Upload-Length", String.valueOf(length));
    }
    if (!metadata.isEmpty()) {
      request.header("Upload-Metadata", metadata(metadata));
    }
    Response r = request.post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.header("Location");
  }

  /** Creates a complete partial upload (concatenation); returns its URL. */
  static String tusPartial(TuskFixture tusk, byte[] body) {
    Response r =
        tusk.tus()
            .header("Upload-Length", String.valueOf(body.length))
            .header("Upload-Concat", "partial")
            .contentType("application/offset+octet-stream")
            .body(body)
            .post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.header("Location");
  }

  /** Creates the final upload of {@code partials}; returns its URL. */
  static String tusFinal(TuskFixture tusk, Map<String, String> metadata, String... partials) {
    var request = tusk.tus().header("Upload-Concat", "final;" + String.join(" ", partials));
    if (!metadata.isEmpty()) {
      request.header("Upload-Metadata", metadata(metadata));
    }
    Response r = request.post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.header("Location");
  }

  /** The path of an upload URL ({@code /files/<id>}). */
  static String path(String location) {
    return java.net.URI.create(location).getPath();
  }

  /** The ids the store holds, if it can list them. */
  static Optional<Set<String>> storedIds(TuskFixture tusk) throws IOException {
    if (!(tusk.store() instanceof UploadLister lister)) {
      return Optional.empty();
    }
    try (Stream<UploadId> ids = lister.list()) {
      return Optional.of(ids.map(UploadId::value).collect(Collectors.toSet()));
    }
  }

  /**
   * Waits until the store holds exactly {@code expected} (the server discards on its storage
   * executor after the client is gone, so there is no response to wait for). A store that cannot
   * list passes trivially.
   */
  static void awaitStored(TuskFixture tusk, Set<String> expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Optional<Set<String>> now = storedIds(tusk);
    while (now.isPresent() && !now.get().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      now = storedIds(tusk);
    }
    now.ifPresent(ids -> assertThat(ids).isEqualTo(expected));
  }

  /** A stream of {@code length} PRNG bytes, generated on the fly (no copy in memory). */
  static final class SeededStream extends InputStream {
    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int wordLeft;

    SeededStream(long length, long seed) {
      this.random = new SplittableRandom(seed);
      this.remaining = length;
    }

    @Override
    public int read() {
      if (remaining <= 0) {
        return -1;
      }
      remaining--;
      return nextByte();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) nextByte();
      }
      remaining -= n;
      return n;
    }

    private int nextByte() {
      if (wordLeft == 0) {
        word = random.nextLong();
        wordLeft = 8;
      }
      int v = (int) (word & 0xff);
      word >>>= 8;
      wordLeft--;
      return v;
    }
  }
}
