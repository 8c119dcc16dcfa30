package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every request that writes an upload lets go of its lock however it ends: a client that goes away
 * mid-body, a body that stalls past the read timeout, a body over the maximum size, and success.
 * Watched through {@code tusk_locks_held}, the locks this server holds: the single-request upload's
 * id is never told to a client that went away, so no other request could find a lock it leaked.
 * Each case first waits until the server has stored the bytes sent, so the body is being pumped
 * when the client goes. A read timeout closes the connection under a pump waiting for bytes that
 * can no longer come; that pump must still end, or the single-request upload's lock, its append
 * session and the session's open file or part buffer stay behind.
 */
class LockReleaseIT {
  static final int LENGTH = 1 << 20;
  static final int SENT = 64 * 1024;
  static final long MAX = 4L << 20;
  static final int ROUNDS = 3;
  static final Duration SETTLE = Duration.ofSeconds(5);
  static final Pattern HELD = Pattern.compile("(?m)^tusk_locks_held ([0-9.]+)$");
  static final Pattern STORED = Pattern.compile("(?m)^tusk_stored_bytes_total ([0-9.E]+)$");

  @RegisterExtension
  final TuskFixture tusk =
      TuskFixture.extension(c -> c.withMaxSize(MAX).withReadTimeout(Duration.ofSeconds(2)));

  /** A request whose body writes an upload: its request line and headers, without the length. */
  enum Kind {
    SINGLE_REQUEST("the single-request upload"),
    CREATION_WITH_UPLOAD("creation-with-upload"),
    PATCH("a tus PATCH"),
    RUFH_CREATION("a draft creation with content"),
    RUFH_APPEND("a draft append");

    final String what;

    Kind(String what) {
      this.what = what;
    }

    /** The request line and headers, after creating the upload it appends to if it needs one. */
    String[] head(TuskFixture tusk) {
      return switch (this) {
        case SINGLE_REQUEST -> new String[] {
            "POST /files/?filename=a.bin HTTP/1.1", "Content-Type: application/octet-stream"};
        case CREATION_WITH_UPLOAD -> new String[] {
            "POST /files/ HTTP/1.1", "Tus-Resumable: 1.0.0", "Upload-Length: " + LENGTH,
            "Content-Type: application/offset+octet-stream"};
        case PATCH -> new String[] {
            "PATCH " + Uploads.create(tusk, LENGTH) + " HTTP/1.1", "Tus-Resumable: 1.0.0",
            "Upload-Offset: 0", "Content-Type: application/offset+octet-stream"};
        case RUFH_CREATION -> new String[] {
            "POST /files/ HTTP/1.1", "Upload-Draft-Interop-Version: 9", "Upload-Complete: ?1",
            "Content-Type: application/octet-stream"};
        case RUFH_APPEND -> new String[] {
            "PATCH " + Uploads.path(tusk.http().header("Upload-Draft-Interop-Version", "9")
                .header("Upload-Complete", "?0").post("/files/").then().statusCode(201).extract()
                .header("Location")) + " HTTP/1.1",
            "Upload-Draft-Interop-Version: 9", "Upload-Complete: ?1", "Upload-Offset: 0",
            "Content-Type: application/partial-upload"};
      };
    }

    @Override
    public String toString() {
      return what;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  @DisplayName("A request whose client disconnects mid-body releases its upload's lock")
  void clientGoneMidBody_releasesTheLock(Kind kind) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      try (RawHttp client = startBody(kind)) {
        assertThat(held()).as("the request holds its upload's lock while its body is pumped").isEqualTo(1);
      }
      awaitNoLockHeld();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  @DisplayName("A request whose body stalls past the read timeout releases its upload's lock")
  void bodyStalledPastReadTimeout_releasesTheLock(Kind kind) throws Exception {
    try (RawHttp raw = startBody(kind)) {
      Optional<RawHttp.Reply> reply = raw.readOrClosed();
      while (reply.isPresent() && reply.get().status() < 200) { // a draft creation's 104
        reply = raw.readOrClosed();
      }
      reply.ifPresent(r -> assertThat(r.status()).as("a stalled body does not succeed").isGreaterThanOrEqualTo(400));
      awaitNoLockHeld();
    }
  }

  @Test
  @DisplayName("A single-request upload over the maximum size (413) releases its lock")
  void singleRequest_bodyOverMaximum_releasesTheLock() throws Exception {
    try (RawHttp raw = RawHttp.connect(tusk.server().port(), 15_000)) {
      raw.head("POST /files/?filename=a.bin HTTP/1.1", "Content-Type: application/octet-stream",
          "Transfer-Encoding: chunked");
      byte[] chunk = Uploads.bytes(LENGTH, 4);
      for (int i = 0; i <= MAX / LENGTH; i++) {
        raw.chunk(chunk, 0, chunk.length);
      }
      raw.lastChunk();
      assertThat(raw.read().status()).isEqualTo(413);
    } catch (java.net.SocketException closedWhileSending) {
      // the server may answer and close before the whole body is sent
    }
    awaitNoLockHeld();
  }

  @Test
  @DisplayName("Successful body requests of every kind leave no lock held")
  void success_everyKind_releasesTheLock() throws Exception {
    byte[] data = Uploads.bytes(1000, 5);
    tusk.http().queryParam("filename", "a.bin").contentType("application/octet-stream").body(data)
        .post("/files/").then().statusCode(201);
    String upload = Uploads.create(tusk, data.length);
    Uploads.append(tusk, upload, 0, data);
    tusk.http().header("Upload-Draft-Interop-Version", "9").header("Upload-Complete", "?1")
        .contentType("application/octet-stream").body(data).post("/files/").then().statusCode(201);
    awaitNoLockHeld();
  }

  /**
   * Sends the head of a request whose body is {@link #LENGTH} bytes, then {@link #SENT} of them,
   * and waits until they are stored: the body is being pumped when this returns.
   */
  private RawHttp startBody(Kind kind) throws Exception {
    long stored = stored();
    String[] head = kind.head(tusk);
    String[] headers = java.util.Arrays.copyOfRange(head, 1, head.length + 1);
    headers[headers.length - 1] = "Content-Length: " + LENGTH;
    RawHttp raw = RawHttp.connect(tusk.server().port(), 15_000);
    raw.head(head[0], headers);
    raw.send(Uploads.bytes(SENT, 7));
    awaitStored(stored + SENT);
    return raw;
  }

  private void awaitStored(long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (stored() < bytes) {
      assertThat(System.nanoTime()).as("%d bytes stored within %s", bytes, SETTLE).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private void awaitNoLockHeld() throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    long held;
    while ((held = held()) != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(held).as("locks held %s after the request ended", SETTLE).isZero();
  }

  private long held() {
    return (long) metric(HELD);
  }

  private long stored() {
    return (long) metric(STORED);
  }

  private double metric(Pattern pattern) {
    String scrape = tusk.http().get("/metrics").then().statusCode(200).extract().asString();
    Matcher m = pattern.matcher(scrape);
    assertThat(m.find()).as("metric %s in /metrics", pattern).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
