package dev.tusk.conformance.downloads;

import static dev.tusk.conformance.downloads.Transfers.bytes;
import static dev.tusk.conformance.downloads.Transfers.metadata;
import static dev.tusk.conformance.downloads.Transfers.sha256;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.store.fs.FsUploadStore;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which thread answers a GET: the I/O thread that parsed it when the store reads a local file
 * system and the access check never blocks, a storage thread otherwise. Bytes, ranges and errors
 * are the same either way. Runs on the fs store only: the choice depends on it.
 */
class DownloadThreadIT {
  @TempDir Path dir;

  /** Records the thread of every access check; rejects uploads whose filename is "secret". */
  private static final class ThreadRecorder implements UploadPolicy {
    final List<String> threads = new CopyOnWriteArrayList<>();
    private final boolean mayBlock;

    ThreadRecorder(boolean mayBlock) {
      this.mayBlock = mayBlock;
    }

    @Override
    public boolean accessMayBlock() {
      return mayBlock;
    }

    @Override
    public void beforeAccess(RequestContext request, UploadInfo info, Access access) {
      threads.add(Thread.currentThread().getName());
      if ("secret".equals(info.metadata().get("filename"))) {
        throw new TusException(ErrorCode.FORBIDDEN, "this upload is not for you");
      }
    }
  }

  private TuskServer start(ThreadRecorder policy) throws Exception {
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(dir);
    return TuskServer.builder(config).store(new FsUploadStore(dir, Clock.systemUTC())).policy(policy).start();
  }

  private static RequestSpecification http(TuskServer server) {
    return given().baseUri("http://127.0.0.1:" + server.port()).urlEncodingEnabled(false);
  }

  /** A complete upload by creation-with-upload; its URL. */
  private static String upload(TuskServer server, byte[] data, String filename) {
    Response r =
        http(server)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", String.valueOf(data.length))
            .header("Upload-Metadata", metadata(Map.of("filename", filename)))
            .contentType("application/offset+octet-stream")
            .body(data)
            .post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("Upload-Offset")).isEqualTo(String.valueOf(data.length));
    return r.header("Location");
  }

  /** The whole body, a range and multiple ranges of one upload, checked byte for byte. */
  private static void downloadAll(TuskServer server, String url, byte[] data) {
    Response whole = http(server).get(url);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(sha256(whole.asByteArray())).isEqualTo(sha256(data));

    Response range = http(server).header("Range", "bytes=70000-135535").get(url);
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.header("Content-Range")).isEqualTo("bytes 70000-135535/" + data.length);
    assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(data, 70_000, 135_536));

    Response multi = http(server).header("Range", "bytes=0-9,-10").get(url);
    assertThat(multi.statusCode()).isEqualTo(206);
    assertThat(multi.contentType()).startsWith("multipart/byteranges; boundary=");
    assertThat(multi.asByteArray().length).isGreaterThan(20);
  }

  @ParameterizedTest(name = "access check may block: {0} -> thread {1}")
  @CsvSource({"false, .*I/O.*", "true, tusk-storage.*"})
  @DisplayName("fs store: GETs are answered on the I/O thread unless the access check may block, bytes and ranges intact either way")
  void localStore_threadFollowsThePolicy(boolean mayBlock, String thread) throws Exception {
    ThreadRecorder policy = new ThreadRecorder(mayBlock);
    try (TuskServer server = start(policy)) {
      byte[] data = bytes(300_001, 41);
      String url = upload(server, data, "data.bin");
      policy.threads.clear();

      downloadAll(server, url, data);

      assertThat(policy.threads).hasSize(3).allSatisfy(t -> assertThat(t).matches(thread));
    }
  }

  @Test
  @DisplayName("On the I/O thread a rejection, an unknown upload and an unsatisfiable range are problem+json 4xx")
  void ioThread_errorsAreProblems() throws Exception {
    ThreadRecorder policy = new ThreadRecorder(false);
    try (TuskServer server = start(policy)) {
      String secret = upload(server, bytes(1_000, 43), "secret");
      Response rejected = http(server).get(secret);
      assertThat(rejected.statusCode()).isEqualTo(403);
      assertThat(rejected.contentType()).startsWith("application/problem+json");
      assertThat(rejected.asString()).contains("this upload is not for you");

      Response missing = http(server).get("/files/" + "a".repeat(32));
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.contentType()).startsWith("application/problem+json");

      String url = upload(server, bytes(1_000, 44), "data.bin");
      Response unsatisfiable = http(server).header("Range", "bytes=5000-").get(url);
      assertThat(unsatisfiable.statusCode()).isEqualTo(416);
      assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */1000");
      assertThat(unsatisfiable.contentType()).startsWith("application/problem+json");
      assertThat(policy.threads).allSatisfy(t -> assertThat(t).contains("I/O"));
    }
  }

  @ParameterizedTest(name = "access check may block: {0}")
  @CsvSource({"false", "true"})
  @DisplayName("Small ranges (sent in one write with their head) reach a client that reads slowly intact, pipelined on one connection")
  void smallRanges_toASlowReader_arriveIntact(boolean mayBlock) throws Exception {
    try (TuskServer server = start(new ThreadRecorder(mayBlock))) {
      byte[] data = bytes(1_000_000, 45);
      String path = java.net.URI.create(upload(server, data, "data.bin")).getPath();
      // 96 pipelined ranges, 6 MiB in all: more than the server's socket buffer can take while the
      // client reads through a small window, so some of them go out in more than one write
      int[] starts = new int[96];
      int[] lengths = new int[96];
      java.util.Random random = new java.util.Random(46);
      int[] edges = {1, 1_000, 65_535, 65_537};
      for (int i = 0; i < starts.length; i++) {
        lengths[i] = i % 8 == 7 ? edges[(i / 8) % edges.length] : 65_536;
        starts[i] = random.nextInt(data.length - lengths[i] + 1);
      }
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(20_000);
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < starts.length; i++) {
          requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=")
              .append(starts[i]).append('-').append(starts[i] + lengths[i] - 1).append("\r\n\r\n");
        }
        socket.getOutputStream().write(requests.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        // not a wait for time-based behaviour: it gives the server the moment it needs (a few ms)
        // to fill the socket's buffers, so that later responses meet a full socket
        Thread.sleep(1_000);
        java.io.DataInputStream in =
            new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 512));
        for (int i = 0; i < starts.length; i++) {
          String head = readHead(in);
          assertThat(head).startsWith("HTTP/1.1 206");
          int length = Integer.parseInt(
              head.replaceAll("(?is).*\r\ncontent-length: *([0-9]+).*", "$1"));
          assertThat(length).isEqualTo(lengths[i]);
          byte[] body = new byte[length];
          in.readFully(body);
          assertThat(body).as("range %d", i)
              .isEqualTo(Arrays.copyOfRange(data, starts[i], starts[i] + lengths[i]));
        }
      }
    }
  }

  /** The status line and headers of one response, read byte by byte up to the blank line. */
  private static String readHead(java.io.DataInputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
      assertThat(head.length()).isLessThan(8_192);
    }
    return head.toString();
  }
}
