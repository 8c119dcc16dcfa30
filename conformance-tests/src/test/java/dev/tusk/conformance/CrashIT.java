package dev.tusk.conformance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server jar as a child process, killed with SIGKILL in the middle of a PATCH body and
 * restarted on the same upload directory. Runs the filesystem store only: the process is {@code
 * tusk serve --upload-dir}.
 */
class CrashIT {
  static final int LENGTH = 16 << 20;
  static final int ROUNDS = 4;
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path scratch;

  @Test
  @DisplayName(
      "The Server SHOULD always attempt to store as much of the received data as possible: after"
          + " kill -9 mid-body and a restart, HEAD reports at most the bytes received, never less"
          + " than before, the bytes before it are the ones sent (checked by the final download),"
          + " and the upload resumes to a byte-exact result")
  void patch_killedMidBody_restartKeepsPrefixAndResumesByteExact() throws Exception {
    assumeTrue(
        StoreKind.current() == StoreKind.FS, "tusk serve --upload-dir runs the filesystem store");
    byte[] data = Uploads.bytes(LENGTH, 61);
    Random random = new Random(20261123L);
    Path uploads = scratch.resolve("uploads");
    Path log = scratch.resolve("server.log");
    JarServer server = JarServer.start(uploads, log);
    try {
      Response created = server.tus().header("Upload-Length", LENGTH).post("/files/");
      assertThat(created.statusCode()).isEqualTo(201);
      String upload = Uploads.path(created.header("Location"));
      long offset = 0;
      boolean progressed = false;
      for (int round = 0; round < ROUNDS; round++) {
        warmUp(server);
        long sent = offset + 1 + random.nextInt((int) (LENGTH - offset - 1));
        try (RawHttp patch = RawHttp.connect(server.port)) {
          patch.head(
              "PATCH " + upload + " HTTP/1.1",
              "Tus-Resumable: 1.0.0",
              "Content-Type: " + Uploads.OCTETS,
              "Upload-Offset: " + offset,
              "Content-Length: " + (LENGTH - offset));
          for (long from = offset; from < sent; from += 64 * 1024) {
            patch.send(data, (int) from, (int) Math.min(sent, from + 64 * 1024));
          }
          Thread.sleep(50 + random.nextInt(200));
          server.kill();
        }
        server = JarServer.start(uploads, log);

        Response head = server.tus().head(upload);
        assertThat(head.statusCode()).as("HEAD after restart, round %d", round).isEqualTo(200);
        long after = Long.parseLong(head.header("Upload-Offset"));
        assertThat(after)
            .as("offset after kill in round %d (sent up to %d)", round, sent)
            .isBetween(offset, sent);
        progressed |= after > offset;
        offset = after;
      }
      assertThat(progressed).as("some round kept bytes received before the kill").isTrue();
      Response rest =
          server
              .tus()
              .contentType(Uploads.OCTETS)
              .header("Upload-Offset", offset)
              .body(Arrays.copyOfRange(data, (int) offset, LENGTH))
              .patch(upload);
      assertThat(rest.statusCode()).as(rest.asString()).isEqualTo(204);
      Response download = server.http().get(upload);
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(Uploads.sha256(download.asByteArray())).isEqualTo(Uploads.sha256(data));
    } finally {
      server.close();
    }
  }

  /** One small upload, so that the crash PATCH meets a server whose code paths are loaded. */
  private static void warmUp(JarServer server) {
    Response created = server.tus().header("Upload-Length", 1).post("/files/");
    String upload = Uploads.path(created.header("Location"));
    Response patched =
        server
            .tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .body(new byte[1])
            .patch(upload);
    assertThat(patched.statusCode()).isEqualTo(204);
  }

  /** {@code java -jar tusk.jar serve} on a free port of 127.0.0.1. */
  private static final class JarServer implements AutoCloseable {
    final Process process;
    final int port;

    private JarServer(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static JarServer start(Path uploadDir, Path log) throws Exception {
      String jar = System.getProperty("tusk.jar");
      assertThat(jar).as("system property tusk.jar").isNotNull();
      assertThat(Path.of(jar)).as("the server jar (mvn install -pl server)").exists();
      int port = freePort();
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p =
          new ProcessBuilder(
                  List.of(
                      java,
                      "-jar",
                      jar,
                      "serve",
                      "--host",
                      "127.0.0.1",
                      "--port",
                      String.valueOf(port),
                      "--upload-dir",
                      uploadDir.toString()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      JarServer server = new JarServer(p, port);
      server.awaitReady(log);
      return server;
    }

    private void awaitReady(Path log) throws Exception {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError(
              "tusk exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
        try (RawHttp raw = RawHttp.connect(port)) {
          raw.head("OPTIONS /files/ HTTP/1.1");
          if (raw.read().status() == 204) {
            return;
          }
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      close();
      throw new AssertionError(
          "tusk did not answer OPTIONS within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    RequestSpecification http() {
      return given().baseUri("http://127.0.0.1:" + port).urlEncodingEnabled(false);
    }

    RequestSpecification tus() {
      return http().header("Tus-Resumable", "1.0.0");
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() {
      process.destroyForcibly();
      try {
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("killed process exits").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        kill();
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }
  }
}
