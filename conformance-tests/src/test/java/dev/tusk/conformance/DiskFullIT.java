package dev.tusk.conformance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.store.fs.FsUploadStore;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload directory on a tmpfs of 8 MiB that the test fills: a write that finds no space is
 * 507 Insufficient Storage with {@code ERR_STORAGE_FULL}, the bytes stored before stay, readiness
 * is down while the storage is full and up again once space is freed. Filesystem store only (its
 * directory is what fills); needs permission to mount, else the tests are skipped loudly.
 */
class DiskFullIT {
  static final int MIB = 1 << 20;

  @TempDir Path scratch;
  private Tmpfs tmpfs;
  private TuskServer server;
  private String base;

  @BeforeEach
  void mountAndStart() throws Exception {
    assumeTrue(
        StoreKind.current() == StoreKind.FS, "the upload directory fills on the filesystem store");
    tmpfs = Tmpfs.mountOrSkip(scratch.resolve("small"), "8m");
    Path uploads = tmpfs.path();
    ServerConfig config =
        ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(uploads);
    server = TuskServer.builder(config).store(new FsUploadStore(uploads, Clock.systemUTC())).start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stopAndUnmount() throws Exception {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (tmpfs != null) {
        tmpfs.close();
      }
    }
  }

  @Test
  @DisplayName(
      "A PATCH that fills the disk answers 507 ERR_STORAGE_FULL; the offset is the bytes stored,"
          + " readiness is down while full, and after space is freed the upload resumes byte-exact")
  void patch_diskFull_answers507_keepsStoredBytes_resumesAfterSpaceFreed() throws Exception {
    Files.write(tmpfs.path().resolve("filler"), new byte[6 * MIB]);
    byte[] data = Uploads.bytes(4 * MIB, 507);
    String upload = Uploads.path(tus().header("Upload-Length", data.length).post("/files/").header("Location"));

    RawHttp.Reply failed =
        sendBody(
            List.of("PATCH " + upload + " HTTP/1.1", "Content-Type: " + Uploads.OCTETS, "Upload-Offset: 0"),
            data);
    assertStorageFull(failed);

    long stored = offset(upload);
    assertThat(stored).as("bytes stored before the disk was full").isBetween(1L, data.length - 1L);
    awaitReady(503);
    assertThat(given().get(base + "/health/ready").asString()).contains("DOWN").contains("full")
        .doesNotContain(tmpfs.path().toString());
    Response again =
        tus().contentType(Uploads.OCTETS).header("Upload-Offset", stored)
            .body(Arrays.copyOfRange(data, (int) stored, data.length)).patch(upload);
    assertThat(again.statusCode()).as("a PATCH while still full: %s", again.asString()).isEqualTo(507);
    assertThat(offset(upload)).as("offset after a second failed PATCH").isEqualTo(stored);

    Files.delete(tmpfs.path().resolve("filler"));
    awaitReady(200);
    Response rest =
        tus().contentType(Uploads.OCTETS).header("Upload-Offset", stored)
            .body(Arrays.copyOfRange(data, (int) stored, data.length)).patch(upload);
    assertThat(rest.statusCode()).as(rest.asString()).isEqualTo(204);
    byte[] downloaded = given().get(base + upload).asByteArray();
    assertThat(Uploads.sha256(downloaded)).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "Creation-with-upload whose body does not fit leaves no upload behind an error: it is"
          + " created with the bytes that fitted (201 with Upload-Offset) and resumes after space is freed")
  void creationWithUpload_diskFull_createsWithWhatFitted() throws Exception {
    Files.write(tmpfs.path().resolve("filler"), new byte[6 * MIB]);
    byte[] data = Uploads.bytes(4 * MIB, 201);
    RawHttp.Reply created =
        sendBody(
            List.of(
                "POST /files/ HTTP/1.1", "Content-Type: " + Uploads.OCTETS, "Upload-Length: " + data.length),
            data);
    assertThat(created.status()).as("creation-with-upload status: %s", created.text()).isEqualTo(201);
    String upload = Uploads.path(created.header("Location"));
    long stored = Long.parseLong(created.header("Upload-Offset"));
    assertThat(stored).isLessThan(data.length);
    assertThat(offset(upload)).as("HEAD agrees with the creation's Upload-Offset").isEqualTo(stored);

    Files.delete(tmpfs.path().resolve("filler"));
    Response rest =
        tus().contentType(Uploads.OCTETS).header("Upload-Offset", stored)
            .body(Arrays.copyOfRange(data, (int) stored, data.length)).patch(upload);
    assertThat(rest.statusCode()).as(rest.asString()).isEqualTo(204);
    assertThat(Uploads.sha256(given().get(base + upload).asByteArray())).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName(
      "Creation when not even the upload's info fits answers 507 ERR_STORAGE_FULL and leaves no"
          + " upload behind; readiness is down until space is freed, then creation works again")
  void creation_noSpaceForInfo_answers507_leavesNothing() throws Exception {
    tmpfs.fill("filler");

    Response refused = tus().header("Upload-Length", 10).header("Upload-Metadata", "filename " + Uploads.base64("a.txt"))
        .post("/files/");
    assertStorageFull(refused.statusCode(), refused.asString());
    assertThat(refused.header("Location")).isNull();
    try (Stream<Path> files = Files.list(tmpfs.path())) {
      assertThat(files.map(p -> p.getFileName().toString())).as("files left in the directory")
          .containsExactly("filler");
    }
    awaitReady(503);

    Files.delete(tmpfs.path().resolve("filler"));
    awaitReady(200);
    Response created = tus().header("Upload-Length", 10).post("/files/");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
  }

  private io.restassured.specification.RequestSpecification tus() {
    return given().baseUri(base).urlEncodingEnabled(false).header("Tus-Resumable", "1.0.0");
  }

  private long offset(String upload) {
    Response head = tus().head(upload);
    assertThat(head.statusCode()).as("HEAD status").isEqualTo(200);
    return Long.parseLong(head.header("Upload-Offset"));
  }

  /**
   * Sends a request whose body the server may stop reading (it answers and closes first): the body
   * goes out on another thread, the response is read here.
   */
  private RawHttp.Reply sendBody(List<String> head, byte[] body) throws Exception {
    try (RawHttp raw = RawHttp.connect(server.port())) {
      String[] headers =
          Stream.concat(
                  head.stream().skip(1),
                  Stream.of("Tus-Resumable: 1.0.0", "Content-Length: " + body.length))
              .toArray(String[]::new);
      raw.head(head.get(0), headers);
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  raw.send(body);
                } catch (java.io.IOException closedEarly) {
                  // the server answered before reading everything
                }
              });
      RawHttp.Reply reply = raw.read();
      sending.handle((v, e) -> null).get(30, java.util.concurrent.TimeUnit.SECONDS);
      return reply;
    }
  }

  private void assertStorageFull(RawHttp.Reply reply) {
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertStorageFull(reply.status(), new String(reply.body(), StandardCharsets.UTF_8));
  }

  private void assertStorageFull(int status, String body) {
    assertThat(status).as("status, body %s", body).isEqualTo(507);
    JsonPath problem = new JsonPath(body);
    assertThat(problem.getString("code")).isEqualTo("ERR_STORAGE_FULL");
    assertThat(problem.getInt("status")).isEqualTo(507);
    assertThat(problem.getString("detail")).contains("full").doesNotContain(tmpfs.path().toString());
  }

  private void awaitReady(int status) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (given().get(base + "/health/ready").statusCode() != status) {
      assertThat(System.nanoTime()).as("readiness became " + status + " within 10 s").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
