package dev.tusk.conformance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * tus-js-client 4 under Node, given nothing but a signed link as its endpoint
 * ({@code src/test/js/link-upload.mjs}): it creates the upload, PATCHes it in chunks through the
 * Location the server answered, and the owner downloads the bytes.
 */
class TusJsLinkIT {
  static final int SIZE = 300_000;
  @RegisterExtension
  static final AuthFixture tusk = AuthFixture.extension(AuthFixture.keysWithLinks());
  static Path jsDir;
  @TempDir static Path scratch;

  @BeforeAll
  static void start() throws Exception {
    jsDir = Path.of(System.getProperty("tusk.js.dir", "src/test/js")).toAbsolutePath();
    // node_modules is installed by TusJsClientIT's npm ci (same directory, same package.json)
    if (!Files.isDirectory(jsDir.resolve("node_modules/tus-js-client"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), 240, scratch.resolve("npm.log"));
    }
  }

  @Test
  @DisplayName("tus-js-client uploads through a signed link given as its endpoint; the link's owner downloads the bytes")
  void jsClient_withSignedLinkAsEndpoint_uploads() throws Exception {
    byte[] data = new byte[SIZE];
    new Random(7).nextBytes(data);
    Path file = scratch.resolve("data.bin");
    Files.write(file, data);
    JsonPath link =
        tusk.http().header("Authorization", "Bearer " + AuthFixture.ALICE).contentType("application/json")
            .body("{\"size\":" + SIZE + ",\"content_types\":[\"application/octet-stream\"],\"filename\":\"x.bin\"}")
            .post("/files/links").jsonPath();

    Path out = scratch.resolve("out.json");
    run(List.of("node", jsDir.resolve("link-upload.mjs").toString(), link.getString("signed_url"),
        file.toString(), "application/octet-stream"), 90, out);
    JsonPath result = new JsonPath(Files.readString(out));

    List<Map<String, Object>> requests = result.getList("requests");
    assertThat(requests).filteredOn(r -> "POST".equals(r.get("method"))).hasSize(1);
    assertThat(requests).filteredOn(r -> "PATCH".equals(r.get("method"))).hasSizeGreaterThan(1)
        .allSatisfy(r -> assertThat((String) r.get("url")).contains("?link="));
    String path = URI.create(result.getString("url")).getPath();
    assertThat(path).isEqualTo("/files/" + link.getString("upload_id"));
    assertThat(tusk.tus(AuthFixture.ALICE).get(path).asByteArray()).isEqualTo(data);
  }

  /** Runs {@code command} in the JS directory; stdout to {@code out}; asserts exit 0 in time. */
  static void run(List<String> command, long timeoutSeconds, Path out) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(jsDir.toFile())
          .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(out.resolveSibling("stderr.log").toFile()))
          .start();
    } catch (IOException e) {
      Assumptions.abort("cannot run " + command.get(0) + ": " + e.getMessage());
      return;
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
    }
    assertThat(p.exitValue())
        .as("%s failed: %s", command, Files.exists(out.resolveSibling("stderr.log"))
            ? Files.readString(out.resolveSibling("stderr.log")) : "")
        .isZero();
  }
}
