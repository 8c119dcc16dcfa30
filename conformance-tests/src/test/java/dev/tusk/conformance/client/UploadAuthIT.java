package dev.tusk.conformance.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tusk.conformance.StoreKind;
import dev.tusk.conformance.ops.TuskProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tusk upload} against a server that wants credentials: {@code -H 'Authorization: Bearer …'}
 * on every request, and a signed upload link as the endpoint. Filesystem store only (the server is
 * {@code tusk serve --upload-dir}).
 */
class UploadAuthIT {
  static final String KEY = "cli-test-key-0123456789abcdef";
  static final String LINK_KEY = "cli-test-link-key-0123456789abcdef-0123456789";

  @TempDir Path dir;

  @Test
  void upload_withABearerHeader_andThroughASignedLink() throws Exception {
    assumeTrue(StoreKind.current() == StoreKind.FS, "tusk serve --upload-dir runs the filesystem store");
    Cli.Run hashed = Cli.run(dir, null, "hash-key", KEY);
    assertThat(hashed.exitCode()).as(hashed.err()).isZero();
    byte[] bytes = UploadCommandIT.random((1 << 20) + 3, 7);
    Path file = Files.write(dir.resolve("report.pdf"), bytes);
    try (TuskProcess server = TuskProcess.serve(dir, Map.of("TUSK_AUTH_LINKS_KEY", LINK_KEY),
        "--upload-dir", dir.resolve("data").toString(),
        "--auth-mode", "keys", "--auth-keys", hashed.out().strip() + ":alice:upload+download")) {
      String endpoint = "http://127.0.0.1:" + server.port + "/files/";

      Cli.Run refused = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--no-resume");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).contains("report.pdf", "401");

      Cli.Run keyed = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--no-resume", "-q",
          "--chunk-size", "256KiB", "-H", "Authorization: Bearer " + KEY);
      assertThat(keyed.exitCode()).as(keyed.err()).isZero();
      assertThat(download(URI.create(keyed.out().strip()))).isEqualTo(bytes);

      HttpResponse<String> link = TuskProcess.HTTP.send(HttpRequest.newBuilder(server.uri("/files/links"))
          .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"size\": " + bytes.length + "}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(link.statusCode()).as(link.body()).isEqualTo(201);
      Matcher signed = Pattern.compile("\"signed_url\"\\s*:\\s*\"([^\"]+)\"").matcher(link.body());
      assertThat(signed.find()).as(link.body()).isTrue();
      String signedUrl = signed.group(1).replace("\\/", "/");

      Cli.Run parallel = Cli.run(dir, null, "upload", file.toString(), "-e", signedUrl, "-p", "2");
      assertThat(parallel.exitCode()).as("a link creates one upload, not parts").isEqualTo(2);
      assertThat(parallel.err()).contains("--parallel");

      Cli.Run linked = Cli.run(dir, null, "upload", file.toString(), "-e", signedUrl, "--no-resume", "-q",
          "--chunk-size", "256KiB");
      assertThat(linked.exitCode()).as(linked.err()).isZero();
      URI upload = URI.create(linked.out().strip());
      assertThat(upload.getRawQuery()).as("the Location carries the link").contains("link=");
      assertThat(download(URI.create(upload.toString().replaceFirst("\\?.*", "")))).isEqualTo(bytes);
    }
  }

  private static byte[] download(URI upload) throws Exception {
    HttpResponse<byte[]> r = TuskProcess.HTTP.send(HttpRequest.newBuilder(upload)
        .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
