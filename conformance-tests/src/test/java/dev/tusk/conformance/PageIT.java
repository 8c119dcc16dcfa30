package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadStore;
import dev.tusk.server.TuskServer;
import dev.tusk.server.auth.ApiKey;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.KeyHashes;
import dev.tusk.server.auth.Security;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Scopes;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload page over HTTP: what is served, with which headers, and what is not. {@link
 * UploadPageIT} runs it in a browser.
 */
class PageIT {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " media-src 'self' blob:; connect-src 'self'; font-src 'self'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  @TempDir Path scratch;

  @Test
  @DisplayName("The page, its script, styles and Uppy are served at / with their types, a strict CSP and nosniff")
  void page_atRoot_servesEveryFileWithTypeAndSecurityHeaders() throws Exception {
    try (TuskFixture tusk = TuskFixture.start()) {
      Response page = tusk.http().get("/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
      assertThat(page.asString()).contains("src=\"page.js\"").doesNotContain("<script>");
      assertThat(page.header("Content-Security-Policy")).isEqualTo(CSP);
      assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(tusk.http().get("/index.html").asByteArray()).isEqualTo(page.asByteArray());
      for (String[] file : new String[][] {
          {"/page.js", "text/javascript; charset=utf-8"}, {"/page.css", "text/css; charset=utf-8"},
          {"/uppy.min.js", "text/javascript; charset=utf-8"}, {"/uppy.min.css", "text/css; charset=utf-8"},
          {"/config.json", "application/json"}}) {
        Response r = tusk.http().get(file[0]);
        assertThat(r.statusCode()).as(file[0]).isEqualTo(200);
        assertThat(r.contentType()).as(file[0]).isEqualTo(file[1]);
        assertThat(r.header("Content-Security-Policy")).as(file[0]).isEqualTo(CSP);
        assertThat(r.header("X-Content-Type-Options")).as(file[0]).isEqualTo("nosniff");
        assertThat(r.header("ETag")).as(file[0]).matches("\"[0-9a-f]{32}\"");
      }
      assertThat(tusk.http().get("/uppy.min.js").asByteArray().length).isGreaterThan(100_000);
    }
  }

  @Test
  @DisplayName("config.json names the base path as endpoint and the configured chunk size")
  void configJson_namesBasePathAndChunkSize() throws Exception {
    try (TuskFixture tusk =
        TuskFixture.start(c -> c.withBasePath("/api/uploads/").withPage(new ServerConfig.Page(true, "/up/", 1 << 20)))) {
      Response config = tusk.http().get("/up/config.json");
      assertThat(config.statusCode()).isEqualTo(200);
      assertThat(config.jsonPath().getString("endpoint")).isEqualTo("/api/uploads/");
      assertThat(config.jsonPath().getLong("chunkSize")).isEqualTo(1 << 20);
      assertThat(tusk.http().get("/up/").statusCode()).isEqualTo(200);
      Response bare = tusk.http().redirects().follow(false).get("/up");
      assertThat(bare.statusCode()).isEqualTo(308);
      assertThat(bare.header("Location")).isEqualTo("/up/");
      assertThat(tusk.http().get("/").statusCode()).isEqualTo(404);
      assertThat(tusk.http().get("/page.js").statusCode()).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("A matching If-None-Match gets 304 without a body; a changed one the file")
  void page_ifNoneMatch_revalidates() throws Exception {
    try (TuskFixture tusk = TuskFixture.start()) {
      Response first = tusk.http().get("/page.js");
      String etag = first.header("ETag");
      assertThat(first.header("Cache-Control")).isEqualTo("no-cache");
      Response again = tusk.http().header("If-None-Match", "\"other\", " + etag).get("/page.js");
      assertThat(again.statusCode()).isEqualTo(304);
      assertThat(again.asByteArray()).isEmpty();
      assertThat(tusk.http().header("If-None-Match", "\"other\"").get("/page.js").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("Only the page's own files are served: other names, traversal and encoded paths are 404; other verbs 405")
  void page_unknownNamesAndVerbs_areRefused() throws Exception {
    try (TuskFixture tusk = TuskFixture.start()) {
      for (String path : List.of("/uppy-LICENSE.txt", "/PageHandler.class", "/dev/tusk/server/page/page.js",
          "/..%2fpage.js", "/%2e%2e/etc/passwd", "/page.js/", "/logback.xml", "/favicon.ico")) {
        assertThat(tusk.http().get(path).statusCode()).as(path).isEqualTo(404);
      }
      Response post = tusk.http().body("x").post("/");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
      Response head = tusk.http().head("/uppy.min.js");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.asByteArray()).isEmpty();
    }
  }

  @Test
  @DisplayName("With page.enabled false nothing is served at /, and uploads are unaffected")
  void page_disabled_isNotServed() throws Exception {
    try (TuskFixture tusk = TuskFixture.start(c -> c.withPage(new ServerConfig.Page(false, "/", 0)))) {
      assertThat(tusk.http().get("/").statusCode()).isEqualTo(404);
      assertThat(tusk.http().get("/page.js").statusCode()).isEqualTo(404);
      assertThat(Uploads.create(tusk, 3)).startsWith("/files/");
    }
  }

  @Test
  @DisplayName("With access control on, the page loads without a credential; uploading still needs one")
  void page_withAuth_loadsButUploadsNeedCredential() throws Exception {
    String key = "page-key-0123456789abcdef0123456789abcdef";
    AuthConfig auth =
        AuthConfig.defaults().withKeys(List.of(new ApiKey(KeyHashes.sha256Hex(key), "page",
            Set.of(Scopes.UPLOAD, Scopes.DOWNLOAD), Limits.NONE, "default")));
    MutableClock clock = new MutableClock(TuskFixture.START);
    UploadStore store = StoreKind.current().create(scratch, clock);
    ServerConfig config =
        ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(scratch.resolve("uploads"));
    Security security = Security.create(auth, config, store, clock);
    try (TuskServer server = TuskServer.builder(config).store(store).clock(clock)
        .policy(security.policy()).filter(security.filter()).start()) {
      var http = io.restassured.RestAssured.given().baseUri("http://127.0.0.1:" + server.port());
      assertThat(http.get("/").statusCode()).isEqualTo(200);
      assertThat(http.get("/uppy.min.js").statusCode()).isEqualTo(200);
      Response anonymous = http.header("Tus-Resumable", "1.0.0").header("Upload-Length", 1).post("/files/");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      Response keyed = io.restassured.RestAssured.given().baseUri("http://127.0.0.1:" + server.port())
          .header("Tus-Resumable", "1.0.0").header("Upload-Length", 1)
          .header("Authorization", "Bearer " + key).post("/files/");
      assertThat(keyed.statusCode()).isEqualTo(201);
    } finally {
      if (store instanceof AutoCloseable c) {
        c.close();
      }
      security.close();
    }
  }
}
