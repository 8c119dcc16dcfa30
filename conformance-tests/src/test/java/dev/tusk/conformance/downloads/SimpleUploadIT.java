package dev.tusk.conformance.downloads;

import static dev.tusk.conformance.downloads.Transfers.awaitStored;
import static dev.tusk.conformance.downloads.Transfers.bytes;
import static dev.tusk.conformance.downloads.Transfers.storedIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The single-request upload: POST on the collection without Tus-Resumable, the whole file as the
 * body, 201 with Location and the details document.
 */
class SimpleUploadIT {
  static final long MAX = 1024 * 1024;
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @RegisterExtension
  static final TuskFixture limited = TuskFixture.extension(c -> c.withMaxSize(MAX));
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @Test
  @DisplayName("A POST without Tus-Resumable and a body creates a complete upload in one request")
  void post_smallBody_creates201WithDetails() {
    byte[] data = bytes(5000, 1);
    Response r =
        tusk.http()
            .config(
                RestAssuredConfig.config()
                    .encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
            .contentType("image/png")
            .body(data)
            .post("/files/?filename=caf%C3%A9%20%22menu%22.png&ttl=600");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    String location = r.header("Location");
    assertThat(location).startsWith("http://127.0.0.1:" + tusk.server().port() + "/files/");
    assertThat(r.contentType()).startsWith("application/json");
    JsonPath json = r.jsonPath();
    assertThat(json.getString("url")).isEqualTo(location);
    assertThat(json.getString("filename")).isEqualTo("café \"menu\".png");
    assertThat(json.getLong("size")).isEqualTo(5000);
    assertThat(json.getLong("offset")).isEqualTo(5000);
    assertThat(json.getBoolean("complete")).isTrue();
    assertThat(json.getLong("ttlSeconds")).isEqualTo(600);
    assertThat(json.getString("metadata.filetype")).isEqualTo("image/png");
    Response details = tusk.http().get(location + "/details");
    assertThat(details.jsonPath().getMap("")).isEqualTo(json.getMap(""));
    Response download = tusk.http().get(location);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.header("Content-Type")).isEqualTo("image/png");
    assertThat(download.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"cafe _menu_.png\"; filename*=UTF-8''caf%C3%A9%20%22menu%22.png");
    assertThat(sha256(download.asByteArray())).isEqualTo(sha256(data));
  }

  @Test
  void post_zeroBytes_createsEmptyCompleteUpload() {
    Response r = tusk.http().body(new byte[0]).post("/files/?filename=empty.txt");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.jsonPath().getLong("size")).isZero();
    assertThat(r.jsonPath().getBoolean("complete")).isTrue();
    Response download = tusk.http().get(r.header("Location"));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.asByteArray()).isEmpty();
  }

  @Test
  @DisplayName("100 MiB in one request, downloaded byte-exact (SHA-256), memory bounded on both sides")
  void post_100MiB_roundTripsByteExact() throws Exception {
    long size = 100L * 1024 * 1024;
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(tusk.baseUri() + "?filename=big.bin"))
            .header("Content-Type", "application/octet-stream")
            .POST(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new Transfers.SeededStream(size, 7)), size))
            .build();
    HttpResponse<String> created = client.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(JsonPath.from(created.body()).getLong("size")).isEqualTo(size);
    String location = created.headers().firstValue("Location").orElseThrow();
    HttpResponse<InputStream> download =
        client.send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(size);
    assertThat(sha256(download.body())).isEqualTo(Transfers.sha256Of(size, 7));
  }

  @Test
  void post_chunkedBody_declaresLengthAtTheEnd() throws Exception {
    byte[] data = bytes(3 * 1024 * 1024 + 1, 8);
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(tusk.baseUri().toString()))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)))
            .build();
    HttpResponse<String> created = client.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(JsonPath.from(created.body()).getLong("size")).isEqualTo(data.length);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(sha256(tusk.http().get(location).asByteArray())).isEqualTo(sha256(data));
  }

  @Test
  void post_expectContinue_isAnswered() throws Exception {
    byte[] data = bytes(70_000, 9);
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(tusk.baseUri().toString()))
            .expectContinue(true)
            .POST(HttpRequest.BodyPublishers.ofByteArray(data))
            .build();
    HttpResponse<String> created = client.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
  }

  @Test
  @DisplayName("A Content-Length over the maximum is 413 before anything is stored")
  void post_contentLengthOverMax_is413AndKeepsNothing() throws Exception {
    Set<String> before = storedIds(limited).orElse(Set.of());
    String status =
        raw(limited, "Content-Length: " + (2 * MAX) + "\r\n", bytes((int) (2 * MAX), 10));
    assertThat(status).startsWith("HTTP/1.1 413");
    awaitStored(limited, before);
  }

  @Test
  @DisplayName("A chunked body that grows over the maximum is 413 while bytes arrive, and nothing is kept")
  void post_chunkedOverMax_is413AndKeepsNothing() throws Exception {
    Set<String> before = storedIds(limited).orElse(Set.of());
    String status = raw(limited, "Transfer-Encoding: chunked\r\n", chunked(bytes((int) (2 * MAX), 11)));
    assertThat(status).startsWith("HTTP/1.1 413");
    awaitStored(limited, before);
  }

  @Test
  void post_exactlyMax_isAccepted() {
    Response r = limited.http().body(bytes((int) MAX, 12)).post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
  }

  @Test
  @DisplayName("A client that disconnects mid-body leaves nothing behind")
  void post_cutOffMidBody_keepsNothing() throws Exception {
    Set<String> before = storedIds(tusk).orElse(Set.of());
    cutOff(tusk, "Content-Length: 1000000\r\n", bytes(300_000, 13), before);
    awaitStored(tusk, before);
    cutOff(tusk, "Transfer-Encoding: chunked\r\n", chunkedUnfinished(bytes(300_000, 14)), before);
    awaitStored(tusk, before);
    assertThat(tusk.http().body(new byte[] {1}).post("/files/").statusCode()).isEqualTo(201);
  }

  /**
   * Sends the headers and part of a body, waits until the server has created the upload (when the
   * store can list), then closes the connection.
   */
  private static void cutOff(TuskFixture fixture, String headers, byte[] partialBody, Set<String> before)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", fixture.server().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /files/?filename=x HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(partialBody);
      out.flush();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (storedIds(fixture).map(ids -> ids.equals(before)).orElse(false)
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(storedIds(fixture).map(ids -> ids.size() == before.size() + 1).orElse(true))
          .as("the server created the upload before the client went away")
          .isTrue();
    }
  }

  @Test
  @DisplayName("A POST with tus creation headers but no Tus-Resumable is a tus request: 412")
  void post_tusHeadersWithoutVersion_is412() {
    Response r = tusk.http().header("Upload-Length", "5").post("/files/");
    assertThat(r.statusCode()).isEqualTo(412);
    assertThat(r.header("Tus-Version")).isEqualTo("1.0.0");
    Response onResource = tusk.http().body(new byte[] {1}).post("/files/0123456789abcdef0123456789abcdef");
    assertThat(onResource.statusCode()).isEqualTo(412);
  }

  @Test
  void post_withTusResumable_isStillTusCreation() {
    Response r = tusk.tus().header("Upload-Length", "5").post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.asByteArray()).isEmpty();
    assertThat(r.header("Upload-Offset")).isNull();
  }

  /**
   * Sends a POST on the collection over a raw socket: {@code headers}, then {@code body} from a
   * second thread (the server may answer before reading it); returns the status line.
   */
  private static String raw(TuskFixture fixture, String headers, byte[] body) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", fixture.server().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /files/?filename=x HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(body);
                  out.flush();
                } catch (IOException ignored) {
                  // the server answered and closed: expected for a rejected body
                }
              });
      writer.start();
      socket.setSoTimeout(10_000);
      String status = readLine(socket.getInputStream());
      writer.join(10_000);
      return status;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static byte[] chunked(byte[] data) {
    byte[] open = chunkedUnfinished(data);
    byte[] end = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[open.length + end.length];
    System.arraycopy(open, 0, all, 0, open.length);
    System.arraycopy(end, 0, all, open.length, end.length);
    return all;
  }

  /** {@code data} as 64 KiB chunks, without the last chunk. */
  private static byte[] chunkedUnfinished(byte[] data) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int at = 0; at < data.length; at += 65536) {
      int n = Math.min(65536, data.length - at);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  private static String sha256(InputStream in) throws IOException {
    MessageDigest d = Transfers.digest();
    try (DigestInputStream digesting = new DigestInputStream(in, d)) {
      digesting.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static String sha256(byte[] data) {
    return Transfers.sha256(data);
  }
}
