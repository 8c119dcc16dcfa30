package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.tusk.server.links.LinkConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signed upload links: a backend with a key asks for a link that declares the file; anyone holding
 * the link uploads exactly that file (tus or single request) without a credential.
 */
class LinksIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] FILE = "%PDF-1.7 a small report".getBytes(StandardCharsets.UTF_8);
  /** Callbacks may go to loopback (the receiver below); it needs no URL in the configuration. */
  @RegisterExtension
  static final AuthFixture tusk = AuthFixture.extension(AuthFixture.keysWithLinks().withLinks(
      LinkConfig.withKey(AuthFixture.LINK_KEY).withCallbacks(List.of("127.0.0.1"), 3, Duration.ofMillis(50))));
  static HttpServer receiver;
  static final List<Map<String, String>> deliveries = new CopyOnWriteArrayList<>();
  static final AtomicInteger failFirst = new AtomicInteger();

  @BeforeAll
  static void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/callback", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      deliveries.add(Map.of(
          "key", String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key")),
          "signature", String.valueOf(ex.getRequestHeaders().getFirst("Tusk-Signature")),
          "body", new String(body, StandardCharsets.UTF_8)));
      int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.stop(0);
  }

  static JsonPath issue(String body) {
    Response r = tusk.http().header("Authorization", "Bearer " + AuthFixture.ALICE)
        .contentType("application/json").body(body).post("/files/links");
    assertThat(r.statusCode()).as("link issuance: %s", r.asString()).isEqualTo(201);
    return r.jsonPath();
  }

  static String pdfLink() {
    return "{\"filename\":\"report.pdf\",\"size\":" + FILE.length + ",\"content_types\":[\"application/pdf\"],"
        + "\"sha256\":\"" + sha256(FILE) + "\",\"ttl\":600,\"file_ttl\":3600,\"metadata\":{\"project\":\"apollo\"}}";
  }

  /** The path and query of an absolute URL. */
  static String local(String url) {
    URI u = URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  static RequestSpecification anonymous() {
    return tusk.anonymousTus();
  }

  static Response create(String signedUrl, long length, String filetype) {
    return anonymous()
        .header("Upload-Length", length)
        .header("Upload-Metadata", "filename " + b64("holiday.png") + ",filetype " + b64(filetype))
        .post(local(signedUrl));
  }

  static Response patch(String location, long offset, byte[] body) {
    return anonymous().header("Upload-Offset", offset).contentType("application/offset+octet-stream")
        .body(body).patch(local(location));
  }

  @Test
  @DisplayName("a link used as issued: POST (201), PATCH the Location (204), HEAD (200); the file is the owner's, named as the link says")
  void link_usedAsIssued_uploadsTheFile() {
    JsonPath link = issue(pdfLink());
    assertThat(link.getString("signed_url")).startsWith(tusk.baseUri() + "?link=");
    assertThat(link.getLong("expires_in")).isEqualTo(600);
    assertThat(link.getLong("file_limits.size")).isEqualTo(FILE.length);
    assertThat(link.getList("file_limits.content_types")).containsExactly("application/pdf");
    assertThat(link.getString("file_limits.sha256")).isEqualTo(sha256(FILE));

    Response created = create(link.getString("signed_url"), FILE.length, "application/pdf");
    assertThat(created.statusCode()).isEqualTo(201);
    String location = created.header("Location");
    assertThat(URI.create(location).getPath()).isEqualTo("/files/" + link.getString("upload_id"));
    assertThat(location).contains("?link=");
    assertThat(patch(location, 0, java.util.Arrays.copyOf(FILE, 5)).statusCode()).isEqualTo(204);
    assertThat(anonymous().head(local(location)).header("Upload-Offset")).isEqualTo("5");
    assertThat(patch(location, 5, java.util.Arrays.copyOfRange(FILE, 5, FILE.length)).statusCode()).isEqualTo(204);

    String path = URI.create(link.getString("upload_url")).getPath();
    assertThat(tusk.tus(AuthFixture.ALICE).get(path).asByteArray()).isEqualTo(FILE);
    JsonPath details = tusk.tus(AuthFixture.ALICE).get(path + "/details").jsonPath();
    assertThat(details.getString("filename")).isEqualTo("report.pdf");
    assertThat(details.getString("metadata.project")).isEqualTo("apollo");
    assertThat(anonymous().get(local(location)).statusCode()).as("the link does not download").isEqualTo(404);
    assertThat(tusk.tus(AuthFixture.BOB).head(path).statusCode()).isEqualTo(404);
    assertThat(anonymous().head(path).statusCode()).as("no link, no access").isEqualTo(401);
  }

  @Test
  @DisplayName("creation-with-upload and the single-request upload work through a link too")
  void link_oneRequestUploads() {
    JsonPath first = issue(pdfLink());
    Response withUpload = anonymous()
        .header("Upload-Length", FILE.length)
        .header("Upload-Metadata", "filetype " + b64("application/pdf"))
        .contentType("application/offset+octet-stream").body(FILE)
        .post(local(first.getString("signed_url")));
    assertThat(withUpload.statusCode()).isEqualTo(201);
    assertThat(withUpload.header("Upload-Offset")).isEqualTo(String.valueOf(FILE.length));

    JsonPath second = issue(pdfLink());
    Response single = tusk.http().contentType("application/pdf").body(FILE).post(local(second.getString("signed_url")));
    assertThat(single.statusCode()).as(single.asString()).isEqualTo(201);
    String path = URI.create(second.getString("upload_url")).getPath();
    assertThat(tusk.tus(AuthFixture.ALICE).get(path).asByteArray()).isEqualTo(FILE);
  }

  @ParameterizedTest(name = "the link with ''{0}'' changed → 403 ERR_LINK_INVALID")
  @ValueSource(strings = {"uid", "own", "exp", "fn", "size", "types", "sha256", "ttl", "meta", "signature"})
  void link_anyDeclaredFieldTampered_is403(String field) throws Exception {
    String url = issue(pdfLink() .replace("}}", "},\"callback_url\":\"http://127.0.0.1:1/callback\"}")).getString("signed_url");
    String token = url.substring(url.indexOf("?link=") + 6);
    String[] parts = token.split("\\.");
    String tampered;
    if (field.equals("signature")) {
      tampered = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
    } else {
      ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      assertThat(claims.has(field)).isTrue();
      if (claims.get(field).isNumber()) {
        claims.put(field, claims.get(field).asLong() + 100_000);
      } else if (claims.get(field).isTextual()) {
        claims.put(field, claims.get(field).asText().replace('a', 'b') + "0");
      } else if (claims.get(field).isArray()) {
        claims.putArray(field).add("*/*");
      } else {
        ((ObjectNode) claims.get(field)).put("project", "mallory");
      }
      tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(claims))
          + "." + parts[2];
    }
    Response r = anonymous().header("Upload-Length", FILE.length).post("/files/?link=" + tampered);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_LINK_INVALID");
  }

  @Test
  @DisplayName("an expired link → 403 ERR_LINK_EXPIRED; an upload it created before may still be finished")
  void link_expired_is403() {
    JsonPath early = issue(pdfLink());
    Response created = create(early.getString("signed_url"), FILE.length, "application/pdf");
    JsonPath late = issue(pdfLink());
    tusk.clock().advance(Duration.ofMinutes(11));
    try {
      Response r = create(late.getString("signed_url"), FILE.length, "application/pdf");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_LINK_EXPIRED");
      assertThat(patch(created.header("Location"), 0, FILE).statusCode()).isEqualTo(204);
    } finally {
      tusk.clock().advance(Duration.ofMinutes(-11));
    }
  }

  @Test
  @DisplayName("a link creates one upload: a second creation → 403 ERR_LINK_USED")
  void link_usedTwice_is403() {
    String url = issue(pdfLink()).getString("signed_url");
    assertThat(create(url, FILE.length, "application/pdf").statusCode()).isEqualTo(201);
    Response again = create(url, FILE.length, "application/pdf");
    assertThat(again.statusCode()).isEqualTo(403);
    assertThat(again.jsonPath().getString("code")).isEqualTo("ERR_LINK_USED");
  }

  @Test
  @DisplayName("larger than declared → 413, another type → 415, nothing kept")
  void link_sizeOrTypeOutsideTheDeclaration_isRejectedAndNotKept() {
    JsonPath link = issue("{\"max_size\":10,\"content_types\":[\"image/*\"]}");
    String url = link.getString("signed_url");
    assertThat(create(url, 11, "image/png").statusCode()).isEqualTo(413);
    assertThat(create(url, 5, "application/pdf").statusCode()).isEqualTo(415);
    assertThat(tusk.tus(AuthFixture.ALICE).head(URI.create(link.getString("upload_url")).getPath()).statusCode())
        .isEqualTo(404);
    Response ok = create(url, 10, "image/png");
    assertThat(ok.statusCode()).isEqualTo(201);
    Response over = patch(ok.header("Location"), 0, new byte[11]);
    assertThat(over.statusCode()).isEqualTo(413);
  }

  @Test
  @DisplayName("a whole file with another checksum than declared → 460 at completion, the upload deleted")
  void link_checksumMismatch_is460AndNotKept() {
    JsonPath link = issue(pdfLink());
    Response created = create(link.getString("signed_url"), FILE.length, "application/pdf");
    byte[] other = FILE.clone();
    other[3] ^= 1;
    Response r = patch(created.header("Location"), 0, other);
    assertThat(r.statusCode()).isEqualTo(460);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_CHECKSUM_MISMATCH");
    assertThat(tusk.tus(AuthFixture.ALICE).head(URI.create(link.getString("upload_url")).getPath()).statusCode())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("the callback is delivered once per completion with an Idempotency-Key and a signature, retried after a 503")
  void link_callback_deliveredOnceWithIdempotencyKey() throws Exception {
    String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/callback";
    JsonPath link = issue(pdfLink().replace("}}", "},\"callback_url\":\"" + callback + "\"}"));
    deliveries.clear();
    failFirst.set(1);
    Response created = create(link.getString("signed_url"), FILE.length, "application/pdf");
    assertThat(patch(created.header("Location"), 0, FILE).statusCode()).isEqualTo(204);

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (deliveries.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(300); // several backoffs: nothing more may arrive after the success
    assertThat(deliveries).hasSize(2);
    String id = link.getString("upload_id");
    assertThat(deliveries).extracting(d -> d.get("key")).containsOnly(id + ":finished");
    Map<String, String> delivered = deliveries.get(1);
    JsonPath body = new JsonPath(delivered.get("body"));
    assertThat(body.getString("event")).isEqualTo("upload.finished");
    assertThat(body.getString("upload.id")).isEqualTo(id);
    assertThat(body.getString("upload.owner")).isEqualTo("alice");
    assertThat(body.getString("upload.filename")).isEqualTo("report.pdf");
    assertThat(body.getLong("upload.size")).isEqualTo(FILE.length);
    String[] sig = delivered.get("signature").split(",");
    String t = sig[0].substring(2);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(AuthFixture.LINK_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
    assertThat(sig[1]).isEqualTo("v1=" + HexFormat.of().formatHex(mac.doFinal(delivered.get("body").getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  @DisplayName("a callback URL outside the allow-list is refused at link creation (403)")
  void link_callbackOutsideAllowList_isRefused() {
    for (String url : List.of("http://169.254.169.254/latest/meta-data", "https://example.com/cb", "file:///etc/passwd")) {
      Response r = tusk.http().header("Authorization", "Bearer " + AuthFixture.ALICE)
          .contentType("application/json").body("{\"callback_url\":\"" + url + "\"}").post("/files/links");
      assertThat(r.statusCode()).as(url).isEqualTo(403);
    }
  }

  @Test
  @DisplayName("a link only reaches its own upload; it cannot issue links or touch another upload")
  void link_isBoundToItsUpload() {
    String mine = tusk.upload(AuthFixture.ALICE, "x".getBytes());
    String url = issue(pdfLink()).getString("signed_url");
    String token = url.substring(url.indexOf("?link="));
    assertThat(anonymous().head(mine + token).statusCode()).isEqualTo(404);
    assertThat(tusk.http().contentType("application/json").body("{}").post("/files/links" + token).statusCode())
        .isEqualTo(403);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("a chunked link request beyond its 64 KiB limit is answered, not dropped")
  void link_chunkedRequestBeyondTheLimit_isAnswered() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", tusk.port())) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("POST /files/links HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + AuthFixture.ALICE + "\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = ("8000\r\n" + " ".repeat(0x8000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 3; i++) {
        out.write(chunk);
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] head = socket.getInputStream().readNBytes(12);
      String status = new String(head, StandardCharsets.US_ASCII);

      assertThat(status).as("status line").startsWith("HTTP/1.1 4");
    }
  }
}
