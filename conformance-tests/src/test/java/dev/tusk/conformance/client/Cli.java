package dev.tusk.conformance.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.ops.TuskProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code java -jar tusk.jar upload|download …} as a child process whose standard output is a file
 * (so not a terminal), and a tusk server on a fixed port of 127.0.0.1 that a test can kill and
 * start again on the same port and upload directory.
 */
final class Cli {
  final Process process;
  private final Path out;
  private final Path err;

  private Cli(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  record Run(int exitCode, String out, String err) {}

  /** Starts the command; standard input from {@code stdin} when not null, else empty. */
  static Cli start(Path dir, Path stdin, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(TuskProcess.java(), "-jar", TuskProcess.jar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "cli-", ".out");
    Path err = Files.createTempFile(dir, "cli-", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(stdin == null ? Path.of("/dev/null").toFile() : stdin.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TUSK_") || k.startsWith("XDG_"));
    pb.environment().put("HOME", dir.toString());
    return new Cli(pb.start(), out, err);
  }

  /** Runs the command to its end (at most 120 s). */
  static Run run(Path dir, Path stdin, String... args) throws Exception {
    Cli cli = start(dir, stdin, args);
    assertThat(cli.process.waitFor(120, TimeUnit.SECONDS)).as("tusk %s finished within 120 s", args[0]).isTrue();
    return cli.result();
  }

  Run result() throws IOException {
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Ends the command as Ctrl-C would (SIGTERM is the same shutdown path) and waits for it. */
  void interrupt() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("tusk ended on SIGTERM").isTrue();
  }

  /** {@code tusk serve} on {@code port} of 127.0.0.1 with uploads under {@code data}. */
  static TuskProcess serve(Path dir, int port, Path data) throws Exception {
    return TuskProcess.start(dir, Map.of(), List.of(TuskProcess.java(), "-jar",
        TuskProcess.jar().toString(), "serve", "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--upload-dir", data.toString()));
  }

  /** SIGKILL: no shutdown hook, no flush. */
  static void kill(TuskProcess server) throws InterruptedException {
    server.process.destroyForcibly();
    assertThat(server.process.waitFor(20, TimeUnit.SECONDS)).as("killed server exits").isTrue();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static byte[] get(URI uri) throws Exception {
    return fetch(uri).body();
  }

  /** GET; asserts 200. */
  static HttpResponse<byte[]> fetch(URI uri) throws Exception {
    HttpResponse<byte[]> r = TuskProcess.HTTP.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
    return r;
  }

  static HttpResponse<Void> head(URI uri) throws Exception {
    return TuskProcess.HTTP.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .header("Tus-Resumable", "1.0.0").build(), HttpResponse.BodyHandlers.discarding());
  }

  /**
   * The request body bytes the server has read ({@code tusk_received_bytes_total} on /metrics), or
   * -1 when it does not answer. Tests watch progress this way rather than with HEAD, which on tusk
   * takes the upload over from a running PATCH.
   */
  static long received(TuskProcess server) {
    try {
      HttpResponse<String> r = TuskProcess.HTTP.send(HttpRequest.newBuilder(server.uri("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("(?m)^tusk_received_bytes_total(?:\\{[^}]*\\})? (\\S+)$").matcher(r.body());
      return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    } catch (IOException | InterruptedException | RuntimeException e) {
      return -1;
    }
  }

  /** Polls {@code condition} every 20 ms for at most {@code seconds}. */
  static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %d s", what, seconds).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
