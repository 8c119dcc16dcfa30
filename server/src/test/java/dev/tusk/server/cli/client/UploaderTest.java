package dev.tusk.server.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tusk.server.protocol.ChecksumAlgorithm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The uploader's answers to failures, against a scripted tus endpoint (the JDK's HTTP server): a
 * checksum mismatch re-sends the chunk a bounded number of times, a busy server is waited for as
 * long as its Retry-After says, and after a failure the offset is asked again and the PATCH goes on
 * from the server's offset. Waits are recorded, not slept.
 */
class UploaderTest {
  /** One PATCH the fake received. */
  record Patch(long offset, int length, String checksum) {}

  HttpServer server;
  URI upload;
  final List<Patch> patches = new CopyOnWriteArrayList<>();
  final Deque<Integer> patchAnswers = new ArrayDeque<>();
  final List<String> heads = new CopyOnWriteArrayList<>();
  final List<Duration> waits = new ArrayList<>();
  volatile long offset;
  volatile String retryAfter;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/files/1", this::handle);
    server.start();
    upload = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/1");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    if (x.getRequestMethod().equals("HEAD")) {
      heads.add(x.getRequestURI().toString());
      x.getResponseHeaders().add("Upload-Offset", Long.toString(offset));
      x.sendResponseHeaders(200, -1);
    } else {
      byte[] body = x.getRequestBody().readAllBytes();
      long at = Long.parseLong(x.getRequestHeaders().getFirst("Upload-Offset"));
      patches.add(new Patch(at, body.length, x.getRequestHeaders().getFirst("Upload-Checksum")));
      Integer status;
      synchronized (patchAnswers) {
        status = patchAnswers.poll();
      }
      if (status == null || status == 204) {
        offset = at + body.length;
        x.getResponseHeaders().add("Upload-Offset", Long.toString(offset));
        x.sendResponseHeaders(204, -1);
      } else if (status == 400) {
        // what tusk answers a PATCH that a HEAD or a newer PATCH took over; the bytes are kept
        offset = at + body.length / 2;
        byte[] problem = ("{\"status\":400,\"code\":\"ERR_UPLOAD_INTERRUPTED\","
            + "\"detail\":\"another request for this upload took over\"}").getBytes();
        x.getResponseHeaders().add("Content-Type", "application/problem+json");
        x.sendResponseHeaders(400, problem.length);
        x.getResponseBody().write(problem);
      } else {
        if (retryAfter != null) {
          x.getResponseHeaders().add("Retry-After", retryAfter);
        }
        x.sendResponseHeaders(status, -1);
      }
    }
    x.close();
  }

  private Uploader uploader(String delays) {
    Retries recording = Retries.parse(delays, java.time.Clock.systemUTC()).sleepingWith(waits::add);
    TusClient client = new TusClient(TusClient.http(), List.of(), new TusClient.Pacer(0));
    return new Uploader(client, recording, 1 << 20, Optional.of(ChecksumAlgorithm.SHA256));
  }

  private static Uploader.Meter meter() {
    Reporter reporter = new Reporter(Reporter.Mode.QUIET, System.out, new java.io.PrintWriter(System.err));
    return new Uploader.Meter(1, reporter.start("test", 100, 0));
  }

  private static String sha256(byte[] data, int from, int len) {
    var d = ChecksumAlgorithm.SHA256.newDigest();
    d.update(data, from, len);
    return "sha256 " + Base64.getEncoder().encodeToString(d.digest());
  }

  @Test
  void checksumMismatchOnce_resendsTheSameChunkWithTheSameChecksum() throws Exception {
    byte[] data = "hello, world".getBytes();
    patchAnswers.add(460);

    long after = uploader("0").sendChunk(upload, 0, data, data.length, OptionalLong.empty(), meter(), 0);

    assertThat(after).isEqualTo(data.length);
    String sum = sha256(data, 0, data.length);
    assertThat(patches).containsExactly(new Patch(0, 12, sum), new Patch(0, 12, sum));
    assertThat(waits).as("a mismatch is no reason to wait").isEmpty();
  }

  @Test
  void checksumMismatchEveryTime_failsAfterABoundedNumberOfResends() {
    byte[] data = "hello".getBytes();
    for (int i = 0; i < 10; i++) {
      patchAnswers.add(460);
    }

    assertThatThrownBy(() -> uploader("0,1s").sendChunk(upload, 0, data, data.length, OptionalLong.empty(), meter(), 0))
        .isInstanceOf(RequestFailure.class)
        .hasMessageContaining("460")
        .satisfies(e -> assertThat(((RequestFailure) e).status()).isEqualTo(460));
    assertThat(patches).hasSize(1 + Uploader.CHECKSUM_RESENDS);
  }

  @Test
  void busyServer_waitsTheLongerOfTheDelayAndRetryAfter_thenAsksTheOffsetAndGoesOn() throws Exception {
    byte[] data = new byte[1000];
    patchAnswers.add(503);
    patchAnswers.add(429);
    retryAfter = "7";

    long after = uploader("0,30s,3s").sendChunk(upload, 0, data, data.length, OptionalLong.empty(), meter(), 0);

    assertThat(after).isEqualTo(1000);
    assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(30));
    assertThat(heads).as("the offset asked after each failure").hasSize(2);
  }

  @Test
  void afterAFailure_thePatchGoesOnFromTheOffsetTheServerReports() throws Exception {
    byte[] data = new byte[1000];
    patchAnswers.add(503);
    offset = 400; // what the server kept of the failed PATCH

    long after = uploader("0").sendChunk(upload, 0, data, data.length, OptionalLong.empty(), meter(), 0);

    assertThat(after).isEqualTo(1000);
    assertThat(patches.get(1).offset()).isEqualTo(400);
    assertThat(patches.get(1).length()).isEqualTo(600);
    assertThat(patches.get(1).checksum()).isEqualTo(sha256(data, 400, 600));
  }

  @Test
  void patchTakenOverByAnotherRequest_asksTheOffsetAndGoesOn() throws Exception {
    byte[] data = new byte[1000];
    patchAnswers.add(400);

    long after = uploader("0").sendChunk(upload, 0, data, data.length, OptionalLong.empty(), meter(), 0);

    assertThat(after).isEqualTo(1000);
    assertThat(heads).hasSize(1);
    assertThat(patches).extracting(Patch::offset).containsExactly(0L, 500L);
  }

  @Test
  void notRetryable_failsAtOnce_andRetriesRunOut() {
    byte[] data = new byte[10];
    patchAnswers.add(403);
    assertThatThrownBy(() -> uploader("0,1s").sendChunk(upload, 0, data, 10, OptionalLong.empty(), meter(), 0))
        .satisfies(e -> assertThat(((RequestFailure) e).status()).isEqualTo(403));
    assertThat(waits).isEmpty();

    patches.clear();
    for (int i = 0; i < 5; i++) {
      patchAnswers.add(503);
    }
    assertThatThrownBy(() -> uploader("0,1s").sendChunk(upload, 0, data, 10, OptionalLong.empty(), meter(), 0))
        .satisfies(e -> assertThat(((RequestFailure) e).status()).isEqualTo(503));
    assertThat(patches).as("the first try and one per delay").hasSize(3);
  }

  @Test
  void split_cutsAFileIntoNearlyEqualParts() {
    assertThat(Uploader.split(10, 3)).extracting(r -> r[0] + "+" + r[1]).containsExactly("0+4", "4+4", "8+2");
    assertThat(Uploader.split(2, 4)).extracting(r -> r[0] + "+" + r[1]).containsExactly("0+1", "1+1");
    assertThat(Uploader.split(0, 3)).extracting(r -> r[0] + "+" + r[1]).containsExactly("0+0");
  }
}
