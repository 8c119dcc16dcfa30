package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with tus-js-client 4 under Node: {@code src/test/js/interop.mjs} runs one scenario
 * against the server and prints the upload URL and the requests it sent; the bytes are checked here
 * by downloading them. Every process is bounded by a timeout.
 */
class TusJsClientIT {
  static final int SIZE = 3_000_000; // not a multiple of the chunk size
  static final int CHUNK = 256 * 1024;
  static final long NPM_TIMEOUT_S = 240;
  static final long NODE_TIMEOUT_S = 90;
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();
  static Path jsDir;
  static byte[] data;
  @TempDir static Path scratch;

  @BeforeAll
  static void start() throws Exception {
    jsDir = Path.of(System.getProperty("tusk.js.dir", "src/test/js")).toAbsolutePath();
    if (!Files.isDirectory(jsDir.resolve("node_modules/tus-js-client"))) {
      run(
          List.of("npm", "ci", "--no-audit", "--no-fund"),
          NPM_TIMEOUT_S,
          scratch.resolve("npm.log"));
    }
    data = Uploads.bytes(SIZE, 41);
    Files.write(scratch.resolve("data.bin"), data);
  }

  @Test
  @DisplayName(
      "tus-js-client: a chunked upload (chunkSize) creates one upload, PATCHes consecutive chunks"
          + " and downloads byte-exact")
  void jsClient_chunkedUpload_uploadsByteExact() throws Exception {
    JsonPath result = scenario("chunked");

    List<Map<String, Object>> requests = result.getList("requests");
    assertThat(requests).filteredOn(r -> "POST".equals(r.get("method"))).hasSize(1);
    List<String> offsets = patchOffsets(requests);
    assertThat(offsets).hasSize((SIZE + CHUNK - 1) / CHUNK);
    assertThat(offsets.get(offsets.size() - 1))
        .isEqualTo(String.valueOf((long) (SIZE / CHUNK) * CHUNK));
    assertByteExact(result.getString("url"));
  }

  @Test
  @DisplayName(
      "tus-js-client: an upload aborted mid-request is found by findPreviousUploads, resumed from"
          + " the server's offset with resumeFromPreviousUpload, and downloads byte-exact")
  void jsClient_abortedAndResumed_uploadsByteExact() throws Exception {
    JsonPath result = scenario("resume");

    assertThat(result.getString("url")).isEqualTo(result.getString("firstUrl"));
    List<Map<String, Object>> requests = result.getList("requests");
    assertThat(requests).extracting(r -> r.get("method")).doesNotContain("POST");
    assertThat(requests.get(0).get("method")).isEqualTo("HEAD");
    long resumedAt = Long.parseLong(patchOffsets(requests).get(0));
    assertThat(resumedAt).isPositive().isLessThanOrEqualTo(result.getLong("abortedAt"));
    assertByteExact(result.getString("url"));
  }

  @Test
  @DisplayName(
      "tus-js-client: parallelUploads: 4 uploads four partial uploads and concatenates them into a"
          + " final upload that downloads byte-exact")
  void jsClient_parallelUploads_concatenatesByteExact() throws Exception {
    JsonPath result = scenario("parallel");

    List<Map<String, Object>> requests = result.getList("requests");
    assertThat(requests)
        .filteredOn(r -> "partial".equals(r.get("concat")) && "POST".equals(r.get("method")))
        .hasSize(4);
    String fin = Uploads.path(result.getString("url"));
    Response head = tusk.tus().head(fin);
    assertThat(head.header("Upload-Concat")).startsWith("final;");
    assertThat(head.header("Upload-Concat").substring(6).trim().split(" +")).hasSize(4);
    assertThat(head.header("Upload-Length")).isEqualTo(String.valueOf(SIZE));
    assertByteExact(result.getString("url"));
  }

  @Test
  @DisplayName(
      "tus-js-client: uploadLengthDeferred creates with Upload-Defer-Length: 1, declares"
          + " Upload-Length in a later PATCH, and downloads byte-exact")
  void jsClient_uploadLengthDeferred_uploadsByteExact() throws Exception {
    JsonPath result = scenario("deferred");

    List<Map<String, Object>> requests = result.getList("requests");
    Map<String, Object> creation = requests.get(0);
    assertThat(creation.get("method")).isEqualTo("POST");
    assertThat(creation.get("deferLength")).isEqualTo("1");
    assertThat(creation.get("length")).isNull();
    assertThat(requests)
        .filteredOn(r -> "PATCH".equals(r.get("method")))
        .extracting(r -> r.get("length"))
        .contains(String.valueOf(SIZE));
    assertByteExact(result.getString("url"));
  }

  @Test
  @DisplayName(
      "tus-js-client: abort(true) terminates the upload with DELETE; the server then answers 404 or"
          + " 410")
  void jsClient_abortWithTermination_deletesUpload() throws Exception {
    JsonPath result = scenario("terminate");

    List<Map<String, Object>> requests = result.getList("requests");
    assertThat(requests).extracting(r -> r.get("method")).contains("DELETE");
    assertThat(tusk.tus().head(Uploads.path(result.getString("url"))).statusCode()).isIn(404, 410);
  }

  private static JsonPath scenario(String name) throws Exception {
    Path out = scratch.resolve(name + ".json");
    run(
        List.of(
            "node",
            "interop.mjs",
            tusk.baseUri().toString(),
            name,
            scratch.resolve("data.bin").toString()),
        NODE_TIMEOUT_S,
        out);
    return JsonPath.from(Files.readString(out));
  }

  /**
   * Runs {@code command} in the JS directory; stdout goes to {@code out}; fails on timeout or
   * non-zero exit.
   */
  private static void run(List<String> command, long timeoutSeconds, Path out)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile(scratch, "stderr", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(jsDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          command + " timed out after " + timeoutSeconds + " s; stderr:\n" + Files.readString(err));
    }
    assertThat(p.exitValue())
        .as("%s exit code; stderr:%n%s", command, Files.readString(err))
        .isZero();
  }

  private static List<String> patchOffsets(List<Map<String, Object>> requests) {
    return requests.stream()
        .filter(r -> "PATCH".equals(r.get("method")) || "PATCH".equals(r.get("override")))
        .map(r -> String.valueOf(r.get("offset")))
        .toList();
  }

  private static void assertByteExact(String url) {
    byte[] downloaded = Uploads.download(tusk, Uploads.path(url));
    assertThat(downloaded).hasSize(SIZE);
    assertThat(Uploads.sha256(downloaded)).isEqualTo(Uploads.sha256(data));
    assertThat(Arrays.equals(downloaded, data)).isTrue();
  }
}
