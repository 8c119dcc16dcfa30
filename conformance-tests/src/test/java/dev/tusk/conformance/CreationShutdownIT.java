package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A creation-with-upload whose body is cut short by the server's own trouble (here a graceful
 * shutdown, 503 for a PATCH) must not hide the upload behind a 5xx: a client learns an upload's URL
 * only from a 2xx, so it gets 201 with the bytes that were stored.
 */
class CreationShutdownIT {
  private static final Pattern STORED = Pattern.compile("(?m)^tusk_stored_bytes_total (\\S+)$");

  @Test
  @DisplayName(
      "A creation-with-upload stopped by a shutdown answers 201 with Location and the Upload-Offset"
          + " it stored, and the upload holds exactly those bytes")
  void creationWithUpload_stoppedByShutdown_answers201WithStoredOffset() throws Exception {
    byte[] data = Uploads.bytes(4 << 20, 503);
    int sent = 256 * 1024;
    try (TuskFixture tusk = TuskFixture.start();
        RawHttp raw = RawHttp.connect(tusk)) {
      raw.head(
          "POST /files/ HTTP/1.1",
          "Tus-Resumable: 1.0.0",
          "Upload-Length: " + data.length,
          "Content-Type: " + Uploads.OCTETS,
          "Content-Length: " + data.length);
      raw.send(data, 0, sent);
      awaitStored(tusk, sent);

      CompletableFuture<Boolean> stopped =
          CompletableFuture.supplyAsync(() -> tusk.server().shutdown(Duration.ofSeconds(20)));
      RawHttp.Reply reply = raw.read();
      assertThat(stopped.get(30, TimeUnit.SECONDS)).as("drained").isTrue();

      assertThat(reply.status()).as("status, body %s", reply.text()).isEqualTo(201);
      assertThat(reply.header("Location")).isNotNull();
      assertThat(reply.header("Upload-Offset")).isEqualTo(String.valueOf(sent));
      dev.tusk.core.UploadId id =
          dev.tusk.core.UploadId.parse(Uploads.path(reply.header("Location")).substring("/files/".length()))
              .orElseThrow();
      assertThat(tusk.store().find(id)).as("the upload as stored")
          .hasValueSatisfying(info -> assertThat(info.offset()).isEqualTo(sent));
    }
  }

  private static void awaitStored(TuskFixture tusk, long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher m = STORED.matcher(tusk.http().get("/metrics").asString());
      if (m.find() && Double.parseDouble(m.group(1)) >= bytes) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not store " + bytes + " bytes within 30 s");
  }
}
