package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Reply;
import dev.tusk.core.UploadId;
import dev.tusk.server.hooks.HookType;
import dev.tusk.server.hooks.ProcessingStatus;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "The file is still being scanned": a download waits for the backend's verdict. */
class ProcessingStatusIT {
  /** Upload ids the scanner has released via pre-access. */
  static final Set<String> released = ConcurrentHashMap.newKeySet();

  @RegisterExtension
  static final HookedTusk tusk = HookedTusk.withReceiver(h -> {
    String name = h.upload().path("MetaData").path("filename").asText();
    if (h.type().equals("post-finish")) {
      return name.equals("eicar.com")
          ? Reply.json("{\"ProcessingStatus\": {\"Status\": \"rejected\", \"Reason\": \"EICAR test file\"}}")
          : Reply.json("{\"ProcessingStatus\": {\"Status\": \"processing\"}}");
    }
    if (h.type().equals("pre-access") && released.contains(h.uploadId())) {
      return Reply.json("{\"ProcessingStatus\": \"ready\"}");
    }
    return Reply.OK;
  }, c -> c.withProcessingGate(true)
      .withEnabled(EnumSet.of(HookType.POST_FINISH, HookType.PRE_ACCESS))
      .withAccessCacheTtl(Duration.ofMinutes(1)));

  private static String uploadNamed(String filename) {
    Response c = tusk.tus().header("Upload-Length", 4).header("Upload-Metadata", "filename "
        + java.util.Base64.getEncoder().encodeToString(filename.getBytes(StandardCharsets.UTF_8))).post("/files/");
    assertThat(c.statusCode()).isEqualTo(201);
    String path = java.net.URI.create(c.header("Location")).getPath();
    assertThat(tusk.patch(path, 0, "data".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(204);
    return path;
  }

  /** Until every post-finish was delivered and its answer applied. */
  private static void awaitDelivered() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (tusk.hooks().outboxDepth(HookType.POST_FINISH) > 0) {
      assertThat(System.nanoTime()).as("post-finish delivered within 15 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static void awaitStatus(String path, int status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (tusk.tus().get(path).statusCode() != status) {
      assertThat(System.nanoTime()).as("GET %s answers %d within 15 s", path, status).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("A finished upload is processing until released: download 409, details show the status")
  void processing_thenReleasedByTheApi() throws Exception {
    String path = uploadNamed("report.pdf");
    Response get = tusk.tus().get(path);
    assertThat(get.statusCode()).as("gated before the 204").isEqualTo(409);
    assertThat(get.jsonPath().getString("code")).isEqualTo("ERR_UPLOAD_PROCESSING");
    assertThat(get.header("Retry-After")).isNotNull();
    awaitDelivered();
    Response details = tusk.tus().get(path + "/details");
    if (details.statusCode() == 200) { // the details document exists in this build
      assertThat(details.jsonPath().getString("status")).isEqualTo("processing");
    }

    tusk.hooks().updateStatus(new UploadId(HookedTusk.id(path)), ProcessingStatus.READY, "clean");
    assertThat(tusk.tus().get(path).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("A post-finish response of rejected refuses the download with 403 and the reason")
  void rejectedByPostFinish() throws Exception {
    String path = uploadNamed("eicar.com");
    awaitStatus(path, 403);
    Response r = tusk.tus().get(path);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_UPLOAD_PROCESSING_REJECTED");
    assertThat(r.jsonPath().getString("detail")).contains("EICAR test file");
  }

  @Test
  @DisplayName("Behind the gate, an upload whose pre-finish was rejected is never downloadable")
  void preFinishRejected_isRejectedBehindTheGate() throws Exception {
    try (TestReceiver strict = new TestReceiver().answer(h -> h.type().equals("pre-finish")
            ? Reply.json("{\"HTTPResponse\": {\"StatusCode\": 422, \"Body\": \"executables are not allowed\"}}")
            : Reply.OK);
        HookedTusk gated = HookedTusk.start(strict.url(), c -> c.withProcessingGate(true)
            .withEnabled(EnumSet.of(HookType.PRE_FINISH, HookType.POST_FINISH)))) {
      String path = gated.create(4);
      Response last = gated.patch(path, 0, "MZ..".getBytes(StandardCharsets.US_ASCII));
      assertThat(last.statusCode()).isEqualTo(422);
      assertThat(last.asString()).isEqualTo("executables are not allowed");
      assertThat(gated.tus().get(path).statusCode()).isEqualTo(403);
      assertThat(strict.hooks("post-finish")).isEmpty();
    }
  }

  @Test
  @DisplayName("A pre-access answer can release a processing upload (the scanner is asked again on each download)")
  void releasedByPreAccess() throws Exception {
    String path = uploadNamed("photo.png");
    tusk.receiver().await(type("post-finish").and(h -> h.uploadId().equals(HookedTusk.id(path))));
    awaitDelivered();
    assertThat(tusk.tus().get(path).statusCode()).isEqualTo(409);
    released.add(HookedTusk.id(path));
    assertThat(tusk.tus().get(path).statusCode()).isEqualTo(200);
    assertThat(tusk.tus().get(path).asString()).isEqualTo("data");
  }
}
