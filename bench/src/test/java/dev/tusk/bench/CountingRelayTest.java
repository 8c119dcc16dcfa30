package dev.tusk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CountingRelayTest {

  @Test
  void countsEveryRequestOnAKeptAliveConnection_whateverTheBodyFraming() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      byte[] answer = (exchange.getRequestMethod() + " " + body.length)
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try (CountingRelay relay = CountingRelay.start(server.getAddress())) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + relay.port() + "/x");
      byte[] big = new byte[200_000];

      String get = client.send(HttpRequest.newBuilder(uri).GET().build(),
          BodyHandlers.ofString()).body();
      String sized = client.send(HttpRequest.newBuilder(uri)
          .PUT(HttpRequest.BodyPublishers.ofByteArray(big)).build(), BodyHandlers.ofString())
          .body();
      // an unknown length goes chunked
      String chunked = client.send(HttpRequest.newBuilder(uri)
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
          .build(), BodyHandlers.ofString()).body();
      String last = client.send(HttpRequest.newBuilder(uri).method("DELETE",
          HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.ofString()).body();

      assertThat(get).isEqualTo("GET 0");
      assertThat(sized).isEqualTo("PUT 200000");
      assertThat(chunked).isEqualTo("POST 200000");
      assertThat(last).isEqualTo("DELETE 0");
      assertThat(relay.requests()).isEqualTo(4);
      // path /x has no key: by S3's path-style rule a GET of it is a bucket listing
      assertThat(relay.byKind()).containsOnlyKeys("LIST", "PUT", "POST", "DELETE");
      assertThat(relay.byKind().values()).allSatisfy(t -> {
        assertThat(t.requests()).isEqualTo(1);
        assertThat(t.serverMs()).isPositive();
      });
    } finally {
      server.stop(0);
    }
  }

  @Test
  void kind_namesTheS3OperationOfAPathStyleRequestLine() {
    assertThat(CountingRelay.kind("GET /bench?list-type=2&prefix=.expiry%2F&delimiter=%2F "
        + "HTTP/1.1")).isEqualTo("LIST");
    assertThat(CountingRelay.kind("GET /bench/ HTTP/1.1")).isEqualTo("LIST");
    assertThat(CountingRelay.kind("GET /bench/abc.info HTTP/1.1")).isEqualTo("GET");
    assertThat(CountingRelay.kind("HEAD /bench/abc.part HTTP/1.1")).isEqualTo("HEAD");
    assertThat(CountingRelay.kind("PUT /bench/abc.info HTTP/1.1")).isEqualTo("PUT");
    assertThat(CountingRelay.kind("PUT /bench/abc?partNumber=1&uploadId=u HTTP/1.1"))
        .isEqualTo("UPLOAD_PART");
    assertThat(CountingRelay.kind("POST /bench/abc?uploads HTTP/1.1")).isEqualTo("MPU_CREATE");
    assertThat(CountingRelay.kind("POST /bench/abc?uploadId=u HTTP/1.1"))
        .isEqualTo("MPU_COMPLETE");
    assertThat(CountingRelay.kind("DELETE /bench/abc?uploadId=u HTTP/1.1"))
        .isEqualTo("MPU_ABORT");
    assertThat(CountingRelay.kind("POST /bench?delete HTTP/1.1")).isEqualTo("DELETE_BATCH");
    assertThat(CountingRelay.kind("DELETE /bench/abc.info HTTP/1.1")).isEqualTo("DELETE");
    assertThat(CountingRelay.kind("garbage")).isEqualTo("OTHER");
  }

  @Test
  void since_subtractsPerKind() {
    var before = java.util.Map.of("LIST", new CountingRelay.Tally(2, 5.0));
    var now = java.util.Map.of("LIST", new CountingRelay.Tally(3, 7.5),
        "GET", new CountingRelay.Tally(4, 1.0));
    assertThat(CountingRelay.since(before, now)).containsExactly(
        java.util.Map.entry("GET", new CountingRelay.Tally(4, 1.0)),
        java.util.Map.entry("LIST", new CountingRelay.Tally(1, 2.5)));
  }

  @Test
  void storedCounts_acceptThousandsAndMillions() {
    assertThat(StoredScenario.counts("10k, 100_000,1M")).containsExactly(10_000, 100_000,
        1_000_000);
  }
}
