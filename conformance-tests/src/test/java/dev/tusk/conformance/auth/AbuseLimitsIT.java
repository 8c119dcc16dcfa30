package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.limits.Tier;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rate limits, caps on uploads in flight, header and metadata sizes, the minimum upload speed. */
class AbuseLimitsIT {
  @RegisterExtension
  static final AuthFixture tusk =
      AuthFixture.extension(
          AuthFixture.keysWithLinks()
              .withTiers(Map.of("default", new Tier(8, 3), "link", new Tier(100, 1)))
              .withUploadCaps(1, 0)
              .withMinSpeed(1_000, Duration.ofSeconds(10))
              .withHeaderLimits(4096, 200, 3));

  @Test
  @DisplayName("after the burst: 429 with Retry-After and RateLimit-* headers, per credential; the bucket refills with time")
  void writes_afterBurst_are429WithRetryAfter() {
    tusk.clock().advance(Duration.ofMinutes(1));
    for (int i = 2; i >= 0; i--) {
      Response r = tusk.tus(AuthFixture.ALICE).header("Upload-Length", 1).post("/files/");
      assertThat(r.statusCode()).isEqualTo(201);
      assertThat(r.header("RateLimit-Limit")).isEqualTo("3");
      assertThat(r.header("RateLimit-Remaining")).isEqualTo(String.valueOf(i));
    }
    Response limited = tusk.tus(AuthFixture.ALICE).header("Upload-Length", 1).post("/files/");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.jsonPath().getString("code")).isEqualTo("ERR_RATE_LIMITED");
    assertThat(limited.header("Retry-After")).isEqualTo("20");
    assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
    assertThat(limited.header("RateLimit-Reset")).isNotNull();

    assertThat(tusk.tus(AuthFixture.BOB).header("Upload-Length", 1).post("/files/").statusCode())
        .as("another credential has its own bucket").isEqualTo(201);
    tusk.clock().advance(Duration.ofSeconds(20));
    assertThat(tusk.tus(AuthFixture.ALICE).header("Upload-Length", 1).post("/files/").statusCode()).isEqualTo(201);
    assertThat(tusk.tus(AuthFixture.ALICE).header("Upload-Length", 1).post("/files/").statusCode()).isEqualTo(429);
    tusk.clock().advance(Duration.ofMinutes(1));
  }

  @Test
  @DisplayName("reads have their own bucket")
  void reads_afterBurst_are429() {
    tusk.clock().advance(Duration.ofMinutes(1));
    String path = tusk.upload(AuthFixture.ADMIN, new byte[] {1});
    int ok = 0;
    Response r;
    do {
      r = tusk.tus(AuthFixture.ADMIN).head(path);
      ok += r.statusCode() == 200 ? 1 : 0;
    } while (r.statusCode() == 200 && ok < 20);
    assertThat(ok).isEqualTo(8);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isNotNull();
    tusk.clock().advance(Duration.ofMinutes(1));
  }

  @Test
  @DisplayName("anonymous link uploads are limited per client IP")
  void linkUploads_areLimitedPerIp() {
    tusk.clock().advance(Duration.ofMinutes(1));
    String first = link();
    String second = link();
    tusk.clock().advance(Duration.ofMinutes(1));
    assertThat(tusk.anonymousTus().header("Upload-Length", 1).post(first).statusCode()).isEqualTo(201);
    Response r = tusk.anonymousTus().header("Upload-Length", 1).post(second);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.header("Retry-After")).isEqualTo("60");
    tusk.clock().advance(Duration.ofMinutes(1));
  }

  @Test
  @DisplayName("431 for oversized headers, oversized Upload-Metadata and too many metadata keys")
  void headerAndMetadataLimits_are431() {
    tusk.clock().advance(Duration.ofMinutes(1));
    Response big = tusk.tus(AuthFixture.ALICE).header("X-Padding", "x".repeat(5000)).header("Upload-Length", 1).post("/files/");
    assertThat(big.statusCode()).isEqualTo(431);
    assertThat(big.jsonPath().getString("code")).isEqualTo("ERR_HEADERS_TOO_LARGE");
    Response metadata = tusk.tus(AuthFixture.ALICE).header("Upload-Length", 1)
        .header("Upload-Metadata", "k " + "QUFB".repeat(60)).post("/files/");
    assertThat(metadata.statusCode()).isEqualTo(431);
    Response keys = tusk.tus(AuthFixture.ALICE).header("Upload-Length", 1)
        .header("Upload-Metadata", "a,b,c,d").post("/files/");
    assertThat(keys.statusCode()).isEqualTo(431);
  }

  @Test
  @DisplayName("one upload in flight per credential: a second body while one is open → 429")
  void concurrentBodies_beyondTheCap_are429() throws Exception {
    tusk.clock().advance(Duration.ofMinutes(1));
    String a = create(100);
    String b = create(10);
    try (Socket s = patchOpen(a, 100)) {
      s.getOutputStream().write(new byte[10]);
      s.getOutputStream().flush();
      awaitStored(a, 10);
      Response second = tusk.tus(AuthFixture.ALICE).header("Upload-Offset", 0)
          .contentType("application/offset+octet-stream").body(new byte[10]).patch(b);
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.header("Retry-After")).isEqualTo("1");
      s.getOutputStream().write(new byte[90]);
      s.getOutputStream().flush();
      assertThat(status(s)).isEqualTo(204);
    }
    assertThat(tusk.tus(AuthFixture.ALICE).header("Upload-Offset", 0)
        .contentType("application/offset+octet-stream").body(new byte[10]).patch(b).statusCode()).isEqualTo(204);
  }

  @Test
  @DisplayName("a PATCH slower than the minimum speed after the grace period is ended (408), its bytes kept")
  void slowLoris_isEndedWithItsBytesKept() throws Exception {
    tusk.clock().advance(Duration.ofMinutes(1));
    String path = create(1000);
    int status;
    try (Socket s = patchOpen(path, 1000)) {
      s.getOutputStream().write(new byte[100]);
      s.getOutputStream().flush();
      awaitStored(path, 100); // the request started (and its clock reading was taken) before the clock moves
      tusk.clock().advance(Duration.ofSeconds(11));
      try {
        s.getOutputStream().write(new byte[1]);
        s.getOutputStream().flush();
      } catch (IOException closedAlready) {
        // the server may have ended the request on the first 100 bytes
      }
      status = status(s);
    }
    assertThat(status).isEqualTo(408);
    tusk.clock().advance(Duration.ofMinutes(1));
    long offset = Long.parseLong(tusk.tus(AuthFixture.ALICE).head(path).header("Upload-Offset"));
    assertThat(offset).isBetween(100L, 101L);
  }

  /** Waits (bounded) until the store holds {@code bytes} of the upload at {@code path}. */
  private static void awaitStored(String path, long bytes) throws Exception {
    if (!(tusk.store() instanceof dev.tusk.store.fs.FsUploadStore fs)) {
      Thread.sleep(500); // other stores keep a part in flight out of sight: give the bytes time
      return;
    }
    java.nio.file.Path data = fs.directory().resolve(path.substring("/files/".length()));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (java.nio.file.Files.size(data) < bytes) {
      assertThat(System.nanoTime()).as("%s bytes stored in time", bytes).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static String create(long length) {
    Response r = tusk.tus(AuthFixture.ALICE).header("Upload-Length", length).post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  private static String link() {
    Response r = tusk.http().header("Authorization", "Bearer " + AuthFixture.BOB)
        .contentType("application/json").body("{}").post("/files/links");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    String url = r.jsonPath().getString("signed_url");
    return url.substring(url.indexOf("/files/"));
  }

  /** A PATCH of {@code length} bytes whose headers are sent and whose body is not. */
  private static Socket patchOpen(String path, int length) throws IOException {
    Socket s = new Socket("127.0.0.1", tusk.port());
    s.setSoTimeout(10_000);
    String head = "PATCH " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
        + "Authorization: Bearer " + AuthFixture.ALICE + "\r\nUpload-Offset: 0\r\n"
        + "Content-Type: application/offset+octet-stream\r\nContent-Length: " + length + "\r\n\r\n";
    OutputStream out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return s;
  }

  private static int status(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    String statusLine = line.toString(StandardCharsets.ISO_8859_1);
    return Integer.parseInt(statusLine.split(" ")[1]);
  }
}
