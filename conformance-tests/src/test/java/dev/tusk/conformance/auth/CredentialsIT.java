package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.KeyHashes;
import io.restassured.response.Response;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Mode keys: what needs a credential, what stays open, and what each scope allows. */
class CredentialsIT {
  @RegisterExtension
  static final AuthFixture tusk = AuthFixture.extension(AuthFixture.keysWithLinks());
  static String upload;

  @BeforeAll
  static void start() throws Exception {
    upload = tusk.upload(AuthFixture.ALICE, "hello".getBytes());
  }

  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("POST", "/files/"),
        Arguments.of("HEAD", "{upload}"),
        Arguments.of("PATCH", "{upload}"),
        Arguments.of("GET", "{upload}"),
        Arguments.of("DELETE", "{upload}"),
        Arguments.of("GET", "{upload}/details"),
        Arguments.of("POST", "/files/links"),
        Arguments.of("GET", "/files/0123456789abcdef0123456789abcdef"),
        Arguments.of("GET", "/elsewhere"));
  }

  @ParameterizedTest(name = "{0} {1} without credentials → 401")
  @MethodSource("routes")
  void route_withoutCredentials_is401WithBearerChallenge(String method, String path) {
    Response r = tusk.anonymousTus().request(method, path.replace("{upload}", upload));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"tusk\"");
    if (!method.equals("HEAD")) {
      assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_UNAUTHORIZED");
    }
  }

  @ParameterizedTest(name = "{0} {1} with a wrong key → 401")
  @MethodSource("routes")
  void route_wrongKey_is401InvalidToken(String method, String path) {
    Response r = tusk.tus("not-a-key-of-this-server").request(method, path.replace("{upload}", upload));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
  }

  @Test
  @DisplayName("a single-request upload (no Tus-Resumable) without credentials → 401")
  void simpleUpload_withoutCredentials_is401() {
    Response r = tusk.http().contentType("text/plain").body("hi").post("/files/?filename=a.txt");
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("OPTIONS, CORS preflights and /health/* stay open")
  void openRoutes_needNoCredentials() {
    assertThat(tusk.http().options("/files/").statusCode()).isBetween(200, 204);
    Response preflight =
        tusk.http()
            .header("Origin", "https://app.example.com")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "Authorization, Upload-Length")
            .options("/files/");
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
    assertThat(tusk.http().get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a valid key creates (201) and its owner reads back (HEAD 200, GET 200)")
  void validKey_createsAndReads() {
    String path = tusk.upload(AuthFixture.BOB, "bytes".getBytes());
    assertThat(tusk.tus(AuthFixture.BOB).head(path).statusCode()).isEqualTo(200);
    assertThat(tusk.tus(AuthFixture.BOB).get(path).asString()).isEqualTo("bytes");
    assertThat(tusk.tus("  ").head(path).statusCode()).isEqualTo(401);
    assertThat(tusk.http().header("Tus-Resumable", "1.0.0").header("Authorization", "Basic Ym9iOmJvYg==")
        .head(path).statusCode()).isEqualTo(401);
    assertThat(tusk.http().header("Tus-Resumable", "1.0.0").header("Authorization", "bearer " + AuthFixture.BOB)
        .head(path).statusCode()).as("the scheme is case-insensitive").isEqualTo(200);
  }

  @Test
  @DisplayName("scopes: upload-only may create but not download; download-only may not create")
  void scopes_areEnforced() {
    String written = tusk.upload(AuthFixture.WRITER, "w".getBytes());
    assertThat(tusk.tus(AuthFixture.WRITER).head(written).statusCode()).isEqualTo(200);
    Response get = tusk.tus(AuthFixture.WRITER).get(written);
    assertThat(get.statusCode()).isEqualTo(403);
    assertThat(get.jsonPath().getString("code")).isEqualTo("ERR_FORBIDDEN");
    Response create = tusk.tus(AuthFixture.READER).header("Upload-Length", 1).post("/files/");
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(tusk.tus(AuthFixture.READER).post("/files/links").statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("/metrics can be protected on its own: the metrics key or an admin credential")
  void metrics_protected_needsMetricsKeyOrAdmin() throws Exception {
    AuthConfig config =
        AuthFixture.keysWithLinks().withMetrics(true, Optional.of(KeyHashes.sha256Hex("scraper-secret-0123456789")));
    try (AuthFixture other = AuthFixture.start(config)) {
      Undertow management =
          Undertow.builder()
              .addHttpListener(0, "127.0.0.1")
              .setHandler(other.security().guardMetrics(ex -> ex.getResponseSender().send("ok")))
              .build();
      management.start();
      try {
        int port = ((InetSocketAddress) management.getListenerInfo().get(0).getAddress()).getPort();
        var http = io.restassured.RestAssured.given().baseUri("http://127.0.0.1:" + port);
        assertThat(http.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(io.restassured.RestAssured.given().baseUri("http://127.0.0.1:" + port)
            .header("Authorization", "Bearer " + AuthFixture.ALICE).get("/metrics").statusCode()).isEqualTo(403);
        assertThat(io.restassured.RestAssured.given().baseUri("http://127.0.0.1:" + port)
            .header("Authorization", "Bearer scraper-secret-0123456789").get("/metrics").statusCode()).isEqualTo(200);
        assertThat(io.restassured.RestAssured.given().baseUri("http://127.0.0.1:" + port)
            .header("Authorization", "Bearer " + AuthFixture.ADMIN).get("/metrics").statusCode()).isEqualTo(200);
        assertThat(io.restassured.RestAssured.given().baseUri("http://127.0.0.1:" + port)
            .get("/health/live").statusCode()).isEqualTo(200);
      } finally {
        management.stop();
      }
    }
  }
}
