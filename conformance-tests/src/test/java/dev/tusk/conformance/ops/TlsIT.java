package dev.tusk.conformance.ops;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.SelfSigned;
import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.store.fs.FsUploadStore;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files, HTTP/2 over TLS (ALPN) and cleartext HTTP/2 (h2c). */
class TlsIT {
  @TempDir Path dir;

  @Test
  @DisplayName("With tls.cert and tls.key (self-signed PEM) the server speaks HTTPS and HTTP/2 over TLS")
  void tls_selfSignedPem_servesHttp2() throws Exception {
    SelfSigned cert = SelfSigned.create(dir, "server", "RSA");
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(dir.resolve("u"))
        .withTls(new ServerConfig.Tls(cert.cert(), cert.key()));
    try (TuskServer server = TuskServer.builder(config).store(new FsUploadStore(dir.resolve("u"), Clock.systemUTC())).start()) {
      assertThat(server.baseUri().getScheme()).isEqualTo("https");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting(cert.cert())).build();
      HttpResponse<String> created = client.send(
          HttpRequest.newBuilder(server.baseUri()).header("Tus-Resumable", "1.0.0").header("Upload-Length", "5")
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(created.statusCode()).isEqualTo(201);
      String location = created.headers().firstValue("Location").orElseThrow();
      assertThat(location).startsWith("https://127.0.0.1:" + server.port() + "/files/");
      HttpResponse<String> patched = client.send(
          HttpRequest.newBuilder(URI.create(location)).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
              .header("Content-Type", "application/offset+octet-stream")
              .method("PATCH", HttpRequest.BodyPublishers.ofString("hello")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(patched.statusCode()).isEqualTo(204);
      HttpResponse<String> body = client.send(HttpRequest.newBuilder(URI.create(location)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(body.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(body.body()).isEqualTo("hello");
      // a body of many DATA frames and flow-control windows: the pump waits for and resumes reads
      byte[] large = new byte[3 << 20];
      new java.util.Random(7).nextBytes(large);
      String big = client.send(
          HttpRequest.newBuilder(server.baseUri()).header("Tus-Resumable", "1.0.0")
              .header("Upload-Length", String.valueOf(large.length))
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
      HttpResponse<String> bigPatch = client.send(
          HttpRequest.newBuilder(URI.create(big)).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
              .header("Content-Type", "application/offset+octet-stream")
              .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(large)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(bigPatch.statusCode()).as(bigPatch.body()).isEqualTo(204);
      assertThat(bigPatch.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(client.send(HttpRequest.newBuilder(URI.create(big)).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(large);
      // a range and multiple ranges over HTTP/2, answered on the I/O thread (local fs store)
      HttpResponse<byte[]> range = client.send(
          HttpRequest.newBuilder(URI.create(big)).header("Range", "bytes=1000000-1065535").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(large, 1_000_000, 1_065_536));
      HttpResponse<String> multi = client.send(
          HttpRequest.newBuilder(URI.create(big)).header("Range", "bytes=0-3,-4").build(),
          HttpResponse.BodyHandlers.ofString(ISO_8859_1));
      assertThat(multi.statusCode()).isEqualTo(206);
      assertThat(multi.headers().firstValue("Content-Type").orElseThrow()).startsWith("multipart/byteranges");
      assertThat(multi.body())
          .contains(new String(large, 0, 4, ISO_8859_1))
          .contains(new String(large, large.length - 4, 4, ISO_8859_1))
          .contains("Content-Range: bytes " + (large.length - 4) + "-" + (large.length - 1) + "/" + large.length);
      HttpResponse<String> live = client.send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("With h2c the plain listener upgrades to HTTP/2; without it the upgrade is ignored")
  void h2c_upgradesWhenEnabled() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    for (boolean h2c : new boolean[] {true, false}) {
      ServerConfig config = ServerConfig.defaults().toBuilder().host("127.0.0.1").port(0).uploadDir(dir).h2c(h2c).build();
      try (TuskServer server = TuskServer.builder(config).store(new FsUploadStore(dir, Clock.systemUTC())).start()) {
        HttpResponse<String> options = client.send(
            HttpRequest.newBuilder(server.baseUri()).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.version()).as("h2c=" + h2c)
            .isEqualTo(h2c ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
      }
    }
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trust.setCertificateEntry("tusk", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
