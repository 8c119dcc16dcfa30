package dev.tusk.conformance.fleet;

import static dev.tusk.conformance.fleet.Fleet.bytes;
import static dev.tusk.conformance.fleet.Fleet.download;
import static dev.tusk.conformance.fleet.Fleet.HTTP;
import static dev.tusk.conformance.fleet.Fleet.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.rufh.InteropVersion;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resumable Uploads for HTTP through a two-node fleet (one S3 bucket, one Redis): every request of
 * an upload goes to the other node than the one before, and a node asks the other, through Redis,
 * to let go of an upload whose append went stale. S3 execution only. The client picks the nodes
 * itself rather than going through the fleet's round-robin proxy: that proxy (Undertow's {@code
 * ProxyHandler}) takes a 104 interim response for the final one and waits for a body that never
 * comes, which is what {@code rufh-interim false} is for in production.
 */
@EnabledIfSystemProperty(named = "tusk.store", matches = "s3")
class FleetRufhIT {
  @RegisterExtension static final Fleet fleet = Fleet.of(2);

  static String completeField(InteropVersion v) {
    return v.usesUploadIncomplete() ? "Upload-Incomplete" : "Upload-Complete";
  }

  static String completeValue(InteropVersion v, boolean complete) {
    return v.usesUploadIncomplete() == complete ? "?0" : "?1";
  }

  static HttpRequest.Builder request(InteropVersion v, URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("Upload-Draft-Interop-Version", String.valueOf(v.number()));
  }

  static HttpResponse<String> append(InteropVersion v, URI upload, long offset, boolean complete, byte[] body)
      throws Exception {
    return HTTP.send(
        request(v, upload).header(completeField(v), completeValue(v, complete))
            .header("Upload-Offset", String.valueOf(offset))
            .header("Content-Type", v.requiresPartialUpload() ? "application/partial-upload" : "application/octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<Void> head(InteropVersion v, URI upload) throws Exception {
    return HTTP.send(request(v, upload).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @ParameterizedTest
  @EnumSource(InteropVersion.class)
  @DisplayName(
      "A draft upload whose creation, offset retrievals and appends alternate between two nodes"
          + " completes byte-exact on both")
  void draftUpload_alternatingNodes_byteExact(InteropVersion v) throws Exception {
    byte[] data = bytes(3 * MIB + 1234, 80 + v.number());
    HttpResponse<String> created = HTTP.send(
        request(v, fleet.node(0)).header(completeField(v), completeValue(v, false))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(data, 0, MIB))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    URI upload = fleet.node(0).resolve(created.headers().firstValue("Location").orElseThrow());

    long offset = MIB;
    int next = 1; // every request goes to the other node than the one before
    while (offset < data.length) {
      HttpResponse<Void> h = head(v, fleet.onNode(upload, next++ % 2));
      assertThat(h.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(offset));
      int end = (int) Math.min(data.length, offset + MIB);
      HttpResponse<String> r = append(v, fleet.onNode(upload, next++ % 2), offset, end == data.length,
          Arrays.copyOfRange(data, (int) offset, end));
      assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
      assertThat(r.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(end));
      offset = end;
    }

    for (int i = 0; i < 2; i++) {
      assertThat(head(v, fleet.onNode(upload, i)).headers().firstValue(completeField(v)))
          .hasValue(completeValue(v, true));
      assertThat(download(fleet.onNode(upload, i))).isEqualTo(data);
    }
  }

  @Test
  @DisplayName(
      "An append stalled on one node: an offset retrieval on the other asks it through Redis to let"
          + " go, answers the bytes received, and the upload resumes there byte-exact")
  void stalledAppend_otherNodeTakesOver_byteExact() throws Exception {
    InteropVersion v = InteropVersion.V8;
    byte[] data = bytes(2 * MIB, 90);
    HttpResponse<String> created = HTTP.send(
        request(v, fleet.node(0)).header("Upload-Complete", "?0").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    URI upload = URI.create(created.headers().firstValue("Location").orElseThrow());
    int sent = 700 * 1024;
    try (Socket s = new Socket("127.0.0.1", fleet.node(0).getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("PATCH " + upload.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upload-Draft-Interop-Version: 8\r\nUpload-Complete: ?1\r\nUpload-Offset: 0\r\n"
          + "Content-Type: application/partial-upload\r\nContent-Length: " + data.length + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(data, 0, sent);
      out.flush();
      Thread.sleep(500); // let node 0 store what arrived; the socket stays open: a stale append

      HttpResponse<Void> h = head(v, fleet.onNode(upload, 1));
      assertThat(h.statusCode()).isEqualTo(200);
      assertThat(h.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(sent));
      HttpResponse<String> rest = append(v, fleet.onNode(upload, 1), sent, true, Arrays.copyOfRange(data, sent, data.length));
      assertThat(rest.statusCode()).as(rest.body()).isEqualTo(201);
    }
    assertThat(download(fleet.onNode(upload, 0))).isEqualTo(data);
  }
}
