package dev.tusk.conformance.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tusk.conformance.StoreKind;
import dev.tusk.conformance.ops.TuskProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tusk upload} as a user runs it, against the real server jar: the bytes arrive intact in
 * every mode, and the same command run again after the server was killed mid-file continues from
 * the server's offset. Standard output is a file, so every run is also a non-terminal run. The
 * server is {@code tusk serve --upload-dir}: the filesystem store only.
 */
class UploadCommandIT {
  static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/files/[0-9a-f]+)");
  static final Pattern REQUEST = Pattern.compile(
      "method=(\\w+) route=\\S+ status=(\\d+) upload=(\\w+)\\b.*? received=(\\d+)");

  @TempDir Path dir;
  int port;
  Path data;
  TuskProcess server;
  String endpoint;
  String state;

  @BeforeEach
  void startServer() throws Exception {
    assumeTrue(StoreKind.current() == StoreKind.FS, "tusk serve --upload-dir runs the filesystem store");
    port = Cli.freePort();
    data = dir.resolve("data");
    server = Cli.serve(dir, port, data);
    endpoint = "http://127.0.0.1:" + port + "/files/";
    state = dir.resolve("state").resolve("uploads.json").toString();
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void upload_aFile_printsItsUrlAndTheServerHasTheSameBytes_withoutControlCharacters() throws Exception {
    byte[] bytes = random(3 << 20, 1);
    Path file = write("photo.jpg", bytes);

    Cli.Run run = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--chunk-size", "1MiB",
        "--state-file", state);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).as("a non-terminal run").doesNotContain("\u001b", "\r");
    assertThat(run.out()).contains("photo.jpg  " + bytes.length + " bytes  http://");
    URI upload = url(run.out());
    var download = Cli.fetch(upload);
    assertThat(download.body()).isEqualTo(bytes);
    assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
        .as("default metadata filename").contains("filename=\"photo.jpg\"");
    assertThat(download.headers().firstValue("Content-Type")).as("default metadata filetype").hasValue("image/jpeg");
    assertThat(requests(server, upload, "PATCH")).as("one PATCH per chunk").hasSize(3);
    assertThat(Files.readString(Path.of(state))).as("finished uploads are forgotten").doesNotContain("http");
  }

  @Test
  void upload_serverKilledMidFile_theSameCommandContinuesFromTheServersOffset() throws Exception {
    byte[] bytes = random(12 << 20, 2);
    Path file = write("big.bin", bytes);
    String[] slow = {"upload", file.toString(), "-e", endpoint, "--chunk-size", "256KiB",
        "--state-file", state, "--retry-delays", "none", "--limit-rate", "2MiB"};

    Cli first = Cli.start(dir, null, slow);
    Cli.await("the state file names the upload", 30, () -> readable(state).contains("http"));
    URI upload = url(readable(state));
    Cli.await("2 MiB on the server", 30, () -> Cli.received(server) >= 2 << 20);
    Cli.kill(server);
    assertThat(first.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(first.result().exitCode()).as("the upload stopped short").isEqualTo(1);
    assertThat(first.result().err()).contains("run the same command to resume");

    server = Cli.serve(dir, port, data);
    Cli.Run again = Cli.run(dir, null, slow);

    assertThat(again.exitCode()).as(again.err()).isZero();
    Matcher resumed = Pattern.compile("resuming at (\\d+) of " + bytes.length).matcher(again.out());
    assertThat(resumed.find()).as(again.out()).isTrue();
    long from = Long.parseLong(resumed.group(1));
    assertThat(from).isBetween(2L << 20, (long) bytes.length - 1);
    assertThat(url(again.out())).isEqualTo(upload);
    List<long[]> heads = requests(server, upload, "HEAD");
    List<long[]> patches = requests(server, upload, "PATCH");
    assertThat(heads).as("the restarted server was asked the offset").isNotEmpty();
    assertThat(patches).as("the restarted server got PATCHes").isNotEmpty();
    assertThat(patches.stream().mapToLong(p -> p[1]).sum())
        .as("bytes the restarted server received: only those after the offset")
        .isEqualTo(bytes.length - from);
    assertThat(server.output()).doesNotContain("method=POST");
    assertThat(Cli.get(upload)).isEqualTo(bytes);
  }

  @Test
  void upload_parallel3_sendsThreePartsAndJoinsThem() throws Exception {
    byte[] bytes = random((5 << 20) + 7, 3);
    Path file = write("parts.bin", bytes);

    Cli.Run run = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--parallel", "3",
        "--chunk-size", "1MiB", "--state-file", state);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Cli.get(url(run.out()))).isEqualTo(bytes);
    assertThat(server.output().split("method=POST", -1)).as("3 partial uploads and the final").hasSize(5);
  }

  @Test
  void upload_withChecksums_andJson_reportsEveryFile() throws Exception {
    byte[] bytes = random(2 << 20, 4);
    Path file = write("sum.bin", bytes);

    Cli.Run run = Cli.run(dir, null, "upload", file.toString(), dir.resolve("missing.bin").toString(),
        "-e", endpoint, "--checksum", "sha256", "--chunk-size", "512KiB", "--json", "--state-file", state);

    assertThat(run.exitCode()).as("one file could not be uploaded").isEqualTo(1);
    String[] lines = run.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("{").contains("\"status\":\"done\"", "\"bytes\":" + bytes.length);
    assertThat(lines[1]).contains("missing.bin", "\"status\":\"failed\"");
    assertThat(Cli.get(url(lines[0]))).isEqualTo(bytes);
    assertThat(requests(server, url(lines[0]), "PATCH")).hasSize(4);
  }

  @Test
  void upload_withChecksum_aChunkCorruptedOnTheWayIsRefusedWith460AndSentAgain() throws Exception {
    byte[] bytes = random((3 << 20) + 17, 6);
    Path file = write("checked.bin", bytes);
    try (CorruptingProxy proxy = new CorruptingProxy(port, 1)) {
      Cli.Run run = Cli.run(dir, null, "upload", file.toString(),
          "-e", "http://127.0.0.1:" + proxy.port() + "/files/", "--checksum", "sha256",
          "--chunk-size", "1MiB", "-q", "--state-file", state);

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(proxy.corrupted()).as("PATCH bodies altered on the way").isEqualTo(1);
      URI upload = URI.create(run.out().strip().replace(":" + proxy.port() + "/", ":" + port + "/"));
      assertThat(Cli.get(upload)).as("the server kept only verified bytes").isEqualTo(bytes);
      List<long[]> patches = requests(server, upload, "PATCH");
      assertThat(patches).extracting(p -> p[0]).as("statuses of the PATCHes")
          .containsExactly(460L, 204L, 204L, 204L, 204L);
    }
  }

  @Test
  void upload_withChecksum_everyAttemptCorrupted_failsAfterItsResendsAndKeepsNothingUnverified()
      throws Exception {
    byte[] bytes = random(300_000, 7);
    Path file = write("doomed.bin", bytes);
    try (CorruptingProxy proxy = new CorruptingProxy(port, Integer.MAX_VALUE)) {
      Cli.Run run = Cli.run(dir, null, "upload", file.toString(),
          "-e", "http://127.0.0.1:" + proxy.port() + "/files/", "--checksum", "sha1",
          "--json", "--retry-delays", "none", "--state-file", state);

      assertThat(run.exitCode()).as("the upload could not be finished").isEqualTo(1);
      assertThat(run.out()).contains("\"status\":\"failed\"");
      URI upload = url(run.out().replace(":" + proxy.port() + "/", ":" + port + "/"));
      List<long[]> patches = requests(server, upload, "PATCH");
      assertThat(patches).as("the first attempt and its re-sends").hasSizeGreaterThan(1)
          .allSatisfy(p -> assertThat(p[0]).isEqualTo(460L));
      assertThat(Cli.head(upload).headers().firstValue("Upload-Offset"))
          .as("no unverified byte was kept").hasValue("0");
    }
  }

  @Test
  void upload_stdin_declaresTheLengthWithTheLastPatch() throws Exception {
    byte[] bytes = random((2 << 20) + 100, 5);
    Path input = write("input.bin", bytes);

    Cli.Run run = Cli.run(dir, input, "upload", "-", "-e", endpoint, "--chunk-size", "1MiB", "-q",
        "-m", "filename=piped.bin");

    assertThat(run.exitCode()).as(run.err()).isZero();
    URI upload = URI.create(run.out().strip());
    assertThat(Cli.head(upload).headers().firstValue("Upload-Length")).hasValue(String.valueOf(bytes.length));
    var download = Cli.fetch(upload);
    assertThat(download.body()).isEqualTo(bytes);
    assertThat(download.headers().firstValue("Content-Disposition").orElse("")).contains("filename=\"piped.bin\"");
  }

  /** Per request to {@code upload} with this method in the server's request log: status, received. */
  static List<long[]> requests(TuskProcess server, URI upload, String method) throws Exception {
    String id = upload.getPath().substring(upload.getPath().lastIndexOf('/') + 1);
    Matcher m = REQUEST.matcher(server.output());
    List<long[]> found = new java.util.ArrayList<>();
    while (m.find()) {
      if (m.group(1).equals(method) && m.group(3).equals(id)) {
        found.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(4))});
      }
    }
    return found;
  }

  static URI url(String text) {
    Matcher m = URL.matcher(text);
    assertThat(m.find()).as("a URL in %s", text).isTrue();
    return URI.create(m.group(1));
  }

  static String readable(String file) {
    try {
      return Files.exists(Path.of(file)) ? Files.readString(Path.of(file)) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  Path write(String name, byte[] bytes) throws Exception {
    return Files.write(dir.resolve(name), bytes);
  }

  static byte[] random(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }
}
