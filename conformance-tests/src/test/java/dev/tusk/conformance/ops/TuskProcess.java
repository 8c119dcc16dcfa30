package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real tusk jar ({@code -Dtusk.jar}, built by {@code mvn package}) as a child
 * process with its own arguments and environment; standard output and error go to a file the test
 * reads. Bound to port 0: the port is read from the "tusk started" log line.
 */
public final class TuskProcess implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("url\"?[=:]\"?(https?):\\\\?/\\\\?/127\\.0\\.0\\.1:(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  public static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public final Process process;
  final Path log;
  public final int port;

  private TuskProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  public static Path jar() {
    String jar = System.getProperty("tusk.jar");
    assertThat(jar).as("system property tusk.jar").isNotNull();
    assertThat(Path.of(jar)).as("the server jar (mvn package)").exists();
    return Path.of(jar);
  }

  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** Runs {@code java -jar tusk.jar <args>} to its end; returns exit code and output. */
  static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    return run(dir, env, command);
  }

  static Result run(Path dir, Map<String, String> env, List<String> command) throws Exception {
    Path out = Files.createTempFile(dir, "run-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    clean(pb.environment()).putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished within 60 s").isTrue();
    return new Result(p.exitValue(), Files.readString(out));
  }

  /** Starts {@code tusk serve} on 127.0.0.1 and a free port with {@code args} and {@code env}. */
  public static TuskProcess serve(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString(), "serve",
        "--host", "127.0.0.1", "--port", "0"));
    command.addAll(List.of(args));
    return start(dir, env, command);
  }

  /** Starts any command line that runs tusk serve and waits for its "tusk started" line. */
  public static TuskProcess start(Path dir, Map<String, String> env, List<String> command) throws Exception {
    Path log = Files.createTempFile(dir, "tusk-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    clean(pb.environment()).putAll(env);
    Process p = pb.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = STARTED.matcher(Files.readString(log));
      if (m.find()) {
        return new TuskProcess(p, log, Integer.parseInt(m.group(2)));
      }
      if (!p.isAlive()) {
        throw new AssertionError("tusk exited with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new AssertionError("tusk did not start within " + START_TIMEOUT + ":\n" + Files.readString(log));
  }

  /** The variables of this JVM minus every TUSK_* one, so the machine's settings do not leak in. */
  private static Map<String, String> clean(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("TUSK_"));
    return env;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  /** SIGTERM, then waits for the exit code. */
  int terminate(Duration within) throws Exception {
    process.destroy();
    assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS))
        .as("tusk exited within " + within + ":\n" + output()).isTrue();
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  record Result(int exitCode, String output) {}
}
