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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interop with tus-js-client 4.3 speaking Resumable Uploads for HTTP ({@code protocol:
 * 'ietf-draft-03'} sends interop version 5, {@code 'ietf-draft-05'} version 6) and tus 1.0 on the
 * same server in the same run; {@code src/test/js/interop.mjs} drives it. Bytes are checked by
 * downloading them. Every process is bounded by a timeout.
 */
class TusJsClientRufhIT {
  static final int SIZE = 3_000_000; // not a multiple of the chunk size
  static final int CHUNK = 256 * 1024;
  static final long NPM_TIMEOUT_S = 240;
  static final long NODE_TIMEOUT_S = 90;
  static TuskFixture tusk;
  static Path jsDir;
  static byte[] data;
  @TempDir static Path scratch;

  @BeforeAll
  static void start() throws Exception {
    jsDir = Path.of(System.getProperty("tusk.js.dir", "src/test/js")).toAbsolutePath();
    if (!Files.isDirectory(jsDir.resolve("node_modules/tus-js-client"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), NPM_TIMEOUT_S, scratch.resolve("npm.log"));
    }
    data = Uploads.bytes(SIZE, 43);
    Files.write(scratch.resolve("data.bin"), data);
    tusk = TuskFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (tusk != null) {
      tusk.close();
    }
  }

  @ParameterizedTest
  @CsvSource({"ietf-draft-03,5", "ietf-draft-05,6"})
  @DisplayName(
      "tus-js-client (IETF draft): a chunked upload creates one upload with Upload-Complete: ?0,"
          + " appends consecutive chunks, completes with Upload-Complete: ?1 and downloads"
          + " byte-exact")
  void jsClient_chunkedDraftUpload_uploadsByteExact(String protocol, String interop)
      throws Exception {
    JsonPath result = scenario("chunked", protocol);

    List<Map<String, Object>> requests = result.getList("requests");
    assertThat(requests).allSatisfy(r -> assertThat(r.get("interop")).isEqualTo(interop));
    assertThat(requests).filteredOn(r -> "POST".equals(r.get("method"))).hasSize(1)
        .allSatisfy(r -> assertThat(r.get("complete")).isEqualTo("?0"));
    List<Map<String, Object>> patches =
        requests.stream().filter(r -> "PATCH".equals(r.get("method"))).toList();
    assertThat(patches).hasSize((SIZE + CHUNK - 1) / CHUNK);
    assertThat(patches.get(patches.size() - 1).get("complete")).isEqualTo("?1");
    if (protocol.equals("ietf-draft-05")) {
      assertThat(patches).allSatisfy(r ->
          assertThat(r.get("contentType")).isEqualTo("application/partial-upload"));
    }
    assertByteExact(result.getString("url"));
    Response head =
        tusk.http().header("Upload-Draft-Interop-Version", interop).head(Uploads.path(result.getString("url")));
    assertThat(head.header("Upload-Complete")).isEqualTo("?1");
  }

  @ParameterizedTest
  @CsvSource({"ietf-draft-03", "ietf-draft-05"})
  @DisplayName(
      "tus-js-client (IETF draft): an upload aborted mid-request is found again, its offset"
          + " retrieved with HEAD, resumed from there, and downloads byte-exact")
  void jsClient_draftUploadAbortedAndResumed_uploadsByteExact(String protocol) throws Exception {
    JsonPath result = scenario("resume", protocol);

    assertThat(result.getString("url")).isEqualTo(result.getString("firstUrl"));
    List<Map<String, Object>> requests = result.getList("requests");
    assertThat(requests).extracting(r -> r.get("method")).doesNotContain("POST");
    assertThat(requests.get(0).get("method")).isEqualTo("HEAD");
    long resumedAt =
        requests.stream().filter(r -> "PATCH".equals(r.get("method")))
            .map(r -> Long.parseLong(String.valueOf(r.get("offset")))).findFirst().orElseThrow();
    assertThat(resumedAt).isPositive().isLessThanOrEqualTo(result.getLong("abortedAt"));
    assertByteExact(result.getString("url"));
  }

  @Test
  @DisplayName(
      "One collection URL, both protocols: tus-js-client uploads with tus 1.0 and with the IETF"
          + " draft to the same server, and each upload is visible to the other dialect's HEAD")
  void jsClient_tusAndDraftOnSameEndpoint_bothByteExact() throws Exception {
    JsonPath tus = scenario("chunked", "tus-v1");
    JsonPath draft = scenario("chunked", "ietf-draft-05");

    assertByteExact(tus.getString("url"));
    assertByteExact(draft.getString("url"));
    Response tusHeadOfDraft = tusk.tus().head(Uploads.path(draft.getString("url")));
    assertThat(tusHeadOfDraft.statusCode()).isEqualTo(200);
    assertThat(tusHeadOfDraft.header("Upload-Offset")).isEqualTo(String.valueOf(SIZE));
    Response draftHeadOfTus =
        tusk.http().header("Upload-Draft-Interop-Version", 6).head(Uploads.path(tus.getString("url")));
    assertThat(draftHeadOfTus.header("Upload-Offset")).isEqualTo(String.valueOf(SIZE));
    assertThat(draftHeadOfTus.header("Upload-Complete")).isEqualTo("?1");
  }

  private static JsonPath scenario(String name, String protocol) throws Exception {
    Path out = scratch.resolve(name + "-" + protocol + ".json");
    run(
        List.of("node", "interop.mjs", tusk.baseUri().toString(), name,
            scratch.resolve("data.bin").toString(), protocol),
        NODE_TIMEOUT_S,
        out);
    return JsonPath.from(Files.readString(out));
  }

  private static void run(List<String> command, long timeoutSeconds, Path out)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile(scratch, "stderr", ".log");
    Process p =
        new ProcessBuilder(command).directory(jsDir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          command + " timed out after " + timeoutSeconds + " s; stderr:\n" + Files.readString(err));
    }
    assertThat(p.exitValue()).as("%s exit code; stderr:%n%s", command, Files.readString(err)).isZero();
  }

  private static void assertByteExact(String url) {
    byte[] downloaded = Uploads.download(tusk, Uploads.path(url));
    assertThat(downloaded).hasSize(SIZE);
    assertThat(Arrays.equals(downloaded, data)).isTrue();
  }
}
