package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One writer per upload: a request that needs an upload another request holds (a PATCH whose client
 * stalled or vanished) asks the holder to let go, and the holder keeps the bytes it has. Stalled
 * PATCHes are raw sockets that sent part of their body. (The 423 for a holder that does not let go
 * is not tested: no request of this server keeps the lock once asked.)
 */
class LockingIT {
  static final int LENGTH = 1 << 20;
  static final int SENT = 300 * 1024;
  static final Duration PROMPT = Duration.ofSeconds(1);
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @BeforeAll
  static void start() throws Exception {
    tusk.http().options("/files/"); // warm up the HTTP client before timing anything
  }

  @Test
  @DisplayName(
      "The Server SHOULD always attempt to store as much of the received data as possible: a HEAD"
          + " during a stalled PATCH answers at once with the bytes received so far, and the upload"
          + " resumes from there.")
  void head_duringStalledPatch_answersPromptlyWithBytesReceived() throws Exception {
    byte[] data = Uploads.bytes(LENGTH, 21);
    String upload = Uploads.create(tusk, LENGTH);
    try (RawHttp stalled = stalledPatch(upload, data, SENT, false)) {
      long started = System.nanoTime();
      RawHttp.Reply head = rawHead(upload);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(head.status()).isEqualTo(200);
      assertThat(took).isLessThan(PROMPT);
      assertThat(head.header("Upload-Offset")).isEqualTo(String.valueOf(SENT));
      assertEndedWithoutSuccess(stalled.readOrClosed());
    }
    Uploads.append(tusk, upload, SENT, Arrays.copyOfRange(data, SENT, LENGTH));
    assertThat(Uploads.sha256(Uploads.download(tusk, upload))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "One writer per upload: a second PATCH arriving while the first is stalled takes over from"
          + " the bytes the first received, and the upload completes byte-exact.")
  void patch_duringStalledPatch_takesOverAndCompletes() throws Exception {
    byte[] data = Uploads.bytes(LENGTH, 22);
    String upload = Uploads.create(tusk, LENGTH);
    try (RawHttp stalled = stalledPatch(upload, data, SENT, false)) {
      long started = System.nanoTime();
      Response second = Uploads.patch(tusk, upload, SENT, Arrays.copyOfRange(data, SENT, LENGTH));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(second.statusCode()).as(second.asString()).isEqualTo(204);
      assertThat(second.header("Upload-Offset")).isEqualTo(String.valueOf(LENGTH));
      assertThat(took).isLessThan(PROMPT.multipliedBy(2));
      assertEndedWithoutSuccess(stalled.readOrClosed());
    }
    assertThat(Uploads.sha256(Uploads.download(tusk, upload))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "When receiving a DELETE request for an existing upload the Server [...] MUST respond with"
          + " the 204 No Content status (also while a stalled PATCH holds the upload).")
  void delete_duringStalledPatch_terminatesPromptly() throws Exception {
    byte[] data = Uploads.bytes(LENGTH, 23);
    String upload = Uploads.create(tusk, LENGTH);
    try (RawHttp stalled = stalledPatch(upload, data, SENT, false)) {
      long started = System.nanoTime();
      Response r = tusk.tus().delete(upload);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(r.statusCode()).isEqualTo(204);
      assertThat(took).isLessThan(PROMPT);
      assertEndedWithoutSuccess(stalled.readOrClosed());
    }
    assertThat(tusk.tus().head(upload).statusCode()).isIn(404, 410);
  }

  @Test
  @DisplayName(
      "Once the entire request has been received, the Server MUST verify the uploaded chunk [...]:"
          + " a stalled PATCH with Upload-Checksum that is taken over cannot be verified, so its"
          + " chunk is discarded.")
  void head_duringStalledChecksumPatch_discardsUnverifiedChunk() throws Exception {
    byte[] data = Uploads.bytes(LENGTH, 24);
    String upload = Uploads.create(tusk, LENGTH);
    try (RawHttp stalled = stalledPatch(upload, data, SENT, true)) {
      RawHttp.Reply head = rawHead(upload);

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Upload-Offset")).isEqualTo("0");
      assertEndedWithoutSuccess(stalled.readOrClosed());
    }
    Uploads.append(tusk, upload, 0, data);
    assertThat(Uploads.sha256(Uploads.download(tusk, upload))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "The Server SHOULD always attempt to store as much of the received data as possible: a client"
          + " that disconnects mid-body keeps the bytes the server received.")
  void patch_clientDisconnectsMidBody_keepsBytesReceived() throws Exception {
    disconnectMidBody(LENGTH, SENT, 25);
  }

  @Test
  @DisplayName(
      "The Server SHOULD always attempt to store as much of the received data as possible: a client"
          + " that disconnects in the middle of a body of several store parts (which the S3 store"
          + " uploads while they arrive) keeps the bytes the server received.")
  void patch_clientDisconnectsMidLargeBody_keepsBytesReceived() throws Exception {
    disconnectMidBody(12 << 20, 7 << 20, 27);
  }

  /** A PATCH announcing all of an upload's bytes sends {@code sent} of them and disconnects. */
  private static void disconnectMidBody(int length, int sent, long seed) throws Exception {
    byte[] data = Uploads.bytes(length, seed);
    String upload = Uploads.create(tusk, length);
    RawHttp gone = stalledPatch(upload, data, sent, false);
    gone.close();
    settle();

    assertThat(Uploads.offset(tusk, upload)).isEqualTo(sent);
    Uploads.append(tusk, upload, sent, Arrays.copyOfRange(data, sent, length));
    assertThat(Uploads.sha256(Uploads.download(tusk, upload))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "A stalled body holds no storage thread: with one storage thread and ten stalled PATCHes, a"
          + " HEAD answers at once and a 40 MiB PATCH (moved in several turns of that thread)"
          + " completes byte-exact.")
  void stalledPatches_holdNoStorageThread() throws Exception {
    try (TuskFixture one = TuskFixture.start(c -> c.toBuilder().storageThreads(1).build())) {
      List<RawHttp> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          byte[] data = Uploads.bytes(LENGTH, 40 + i);
          RawHttp raw = RawHttp.connect(one);
          stalled.add(raw);
          sendPartial(raw, Uploads.create(one, LENGTH), data, SENT, false);
        }
        settle();
        int big = 40 << 20;
        byte[] data = Uploads.bytes(big, 39);
        String upload = Uploads.create(one, big);

        long started = System.nanoTime();
        assertThat(Uploads.offset(one, upload)).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPT);
        Response patch = Uploads.patch(one, upload, 0, data);
        assertThat(patch.statusCode()).as(patch.asString()).isEqualTo(204);
        assertThat(Uploads.sha256(Uploads.download(one, upload))).isEqualTo(Uploads.sha256(data));
      } finally {
        for (RawHttp raw : stalled) {
          raw.close();
        }
      }
    }
  }

  @Test
  @DisplayName(
      "A timeout SHOULD be handled by closing the underlying connection [...] The Server SHOULD"
          + " always attempt to store as much of the received data as possible.")
  void patch_stalledPastReadTimeout_isClosedAndKeepsBytes() throws Exception {
    try (TuskFixture quick = TuskFixture.start(c -> c.withReadTimeout(Duration.ofMillis(500)))) {
      byte[] data = Uploads.bytes(LENGTH, 26);
      String upload = Uploads.create(quick, LENGTH);
      Optional<RawHttp.Reply> ended;
      try (RawHttp stalled = RawHttp.connect(quick)) {
        sendPartial(stalled, upload, data, SENT, false);
        ended = stalled.readOrClosed();
      }

      assertEndedWithoutSuccess(ended);
      assertThat(Uploads.offset(quick, upload)).isEqualTo(SENT);
    }
  }

  @Test
  @DisplayName(
      "A HEAD during a PATCH that got its 100 Continue but sent no byte yet answers at once with"
          + " the unchanged offset.")
  void head_duringPatchWaitingAfter100Continue_answersPromptly() throws Exception {
    String upload = Uploads.create(tusk, 10);
    Uploads.append(tusk, upload, 0, "abc".getBytes());
    try (RawHttp waiting = RawHttp.connect(tusk)) {
      waiting.head(
          "PATCH " + upload + " HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Content-Type: " + Uploads.OCTETS,
          "Upload-Offset: 3",
          "Content-Length: 7",
          "Expect: 100-continue");
      assertThat(waiting.read().status()).isEqualTo(100);

      long started = System.nanoTime();
      RawHttp.Reply head = rawHead(upload);

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPT);
      assertThat(head.header("Upload-Offset")).isEqualTo("3");
    }
  }

  /** A PATCH at offset 0 announcing the rest of {@code data} that sent {@code sent} bytes. */
  private static RawHttp stalledPatch(String upload, byte[] data, int sent, boolean checksum)
      throws Exception {
    RawHttp raw = RawHttp.connect(tusk);
    sendPartial(raw, upload, data, sent, checksum);
    settle();
    return raw;
  }

  private static void sendPartial(
      RawHttp raw, String upload, byte[] data, int sent, boolean checksum) throws Exception {
    raw.head(
        "PATCH " + upload + " HTTP/1.1",
        "Tus-Resumable: 1.0.0",
        "Content-Type: " + Uploads.OCTETS,
        "Upload-Offset: 0",
        "Content-Length: " + data.length,
        checksum
            ? "Upload-Checksum: " + Uploads.checksum("sha1", "SHA-1", data)
            : "X-No-Checksum: 1");
    raw.send(data, 0, sent);
  }

  private static RawHttp.Reply rawHead(String upload) throws Exception {
    try (RawHttp raw = RawHttp.connect(tusk)) {
      raw.head("HEAD " + upload + " HTTP/1.1", "Tus-Resumable: 1.0.0");
      return raw.read(true);
    }
  }

  /** The stalled request ended with an error response or a closed connection, never a 2xx. */
  private static void assertEndedWithoutSuccess(Optional<RawHttp.Reply> reply) {
    reply.ifPresent(r -> assertThat(r.status()).as(r.text()).isGreaterThanOrEqualTo(400));
  }

  /** Gives the server a moment to read bytes already on the loopback socket. */
  private static void settle() throws InterruptedException {
    Thread.sleep(300);
  }
}
