package dev.tusk.conformance.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tusk.conformance.StoreKind;
import dev.tusk.conformance.ops.TuskProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tusk download} against the real server jar: an interrupted download is continued with a
 * Range request, and a remembered validator that no longer matches makes the server send the whole
 * file again (If-Range). Filesystem store only, as the server is {@code tusk serve --upload-dir}.
 */
class DownloadCommandIT {
  static final Pattern GET = Pattern.compile("method=GET route=\\S+ status=(\\d+)");

  @TempDir Path dir;
  TuskProcess server;

  @BeforeEach
  void startServer() throws Exception {
    assumeTrue(StoreKind.current() == StoreKind.FS, "tusk serve --upload-dir runs the filesystem store");
    server = Cli.serve(dir, Cli.freePort(), dir.resolve("data"));
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void download_interrupted_theSameCommandContinuesWithARange_andAChangedValidatorRestarts() throws Exception {
    byte[] bytes = UploadCommandIT.random(8 << 20, 6);
    Path source = Files.write(dir.resolve("source.bin"), bytes);
    Cli.Run up = Cli.run(dir, null, "upload", source.toString(), "-e", "http://127.0.0.1:" + server.port + "/files/",
        "--no-resume", "-q");
    assertThat(up.exitCode()).as(up.err()).isZero();
    URI upload = URI.create(up.out().strip());
    Path out = dir.resolve("out.bin");
    Path state = dir.resolve("state.json");
    String[] command = {"download", upload.toString(), "-o", out.toString(), "--state-file", state.toString(),
        "--limit-rate", "2MiB"};

    Cli first = Cli.start(dir, null, command);
    Cli.await("1 MiB written", 30, () -> size(out) >= 1 << 20);
    first.interrupt();
    long partial = size(out);
    assertThat(partial).isBetween(1L << 20, (long) bytes.length - 1);
    String remembered = Files.readString(state);
    assertThat(remembered).contains("etag");

    Cli.Run again = Cli.run(dir, null, command);

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).doesNotContain("\u001b", "\r").contains(bytes.length + " bytes");
    assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
    assertThat(statuses()).as("the first GET whole, the second a range").endsWith("200", "206");

    // the same partial file, but the validator it was fetched with is not the server's any more
    try (var ch = Files.newByteChannel(out, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(partial);
    }
    String otherEtag = Matcher.quoteReplacement("\"etag\" : \"\\\"0123\\\"\"");
    Files.writeString(state, remembered.replaceAll("\"etag\" : \"(?:\\\\.|[^\"\\\\])*\"", otherEtag));
    assertThat(Files.readString(state)).contains("0123").isNotEqualTo(remembered);
    Cli.Run changed = Cli.run(dir, null, "download", upload.toString(), "-o", out.toString(),
        "--state-file", state.toString());

    assertThat(changed.exitCode()).as(changed.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
    assertThat(statuses()).as("If-Range did not match: the whole file").endsWith("206", "200");
  }

  private java.util.List<String> statuses() throws Exception {
    Matcher m = GET.matcher(server.output());
    java.util.List<String> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
