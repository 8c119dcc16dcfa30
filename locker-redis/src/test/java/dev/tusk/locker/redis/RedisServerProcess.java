package dev.tusk.locker.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} on a free loopback port, with no persistence, for tests: start, wait
 * until PING answers, stop, kill -9, restart on the same port. The server is the one on the PATH
 * (Debian package {@code redis-server}), else the binary {@code embedded-redis} ships for this
 * platform; fails, never skips, when there is neither.
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start()) {
 *   URI url = redis.url();              // redis://127.0.0.1:<port>
 *   redis.kill();  redis.restart();     // same port, empty data
 * }
 * }</pre>
 *
 * <p>Not thread-safe: drive it from the test thread. Processes still running when the JVM exits are
 * killed by a shutdown hook.
 */
public final class RedisServerProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private static Path bundled;

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  private final Path executable;
  private final int port;
  private final List<String> extraArgs;
  private final Path log;
  private Process process;

  private RedisServerProcess(Path executable, int port, List<String> extraArgs) throws IOException {
    this.executable = executable;
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.log = Files.createTempFile("redis-server-" + port + "-", ".log");
  }

  /**
   * Starts {@code redis-server} on a free port and waits until it answers PING.
   *
   * @param extraArgs further server options, e.g. {@code "--requirepass", "secret"}
   * @throws IllegalStateException if {@code redis-server} is not on the PATH or does not start
   */
  public static RedisServerProcess start(String... extraArgs) throws IOException {
    Path executable = findExecutable();
    for (int attempt = 1; ; attempt++) {
      RedisServerProcess redis = new RedisServerProcess(executable, freePort(), List.of(extraArgs));
      try {
        redis.restart();
        return redis;
      } catch (IllegalStateException e) {
        redis.close();
        if (attempt == 3) { // the free port may have been taken meanwhile: try another twice
          throw e;
        }
      }
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the server again on the same port (a no-op if it is running); data starts empty. */
  public void restart() throws IOException {
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(executable.toString(), "--port", "" + port));
    command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
    command.addAll(List.of("--daemonize", "no", "--logfile", ""));
    command.addAll(extraArgs);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    RUNNING.add(process);
    awaitReady();
  }

  /** Stops the server gracefully (SIGTERM) and waits for it to exit. */
  public void stop() {
    end(false);
  }

  /** Kills the server with SIGKILL, as a crash would, and waits for it to exit. */
  public void kill() {
    end(true);
  }

  @Override
  public void close() {
    end(true);
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      log.toFile().deleteOnExit();
    }
  }

  private void end(boolean forcibly) {
    if (process == null) {
      return;
    }
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    RUNNING.remove(process);
    process = null;
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server on port " + port + " exited with " + process.exitValue() + logTail());
      }
      if (answersPing()) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for redis-server", e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "redis-server on port "
            + port
            + " did not answer PING within "
            + READY_TIMEOUT
            + logTail());
  }

  /** +PONG, or -NOAUTH when a password is required: either way the server is serving. */
  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[64];
      int n = in.read(reply);
      String answer = n <= 0 ? "" : new String(reply, 0, n, StandardCharsets.US_ASCII);
      return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "; its log ends:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The {@code redis-server} on the PATH, or else the real binary for this platform that the
   * {@code embedded-redis} test dependency ships (redis 6.2), extracted once to a temporary file.
   * The system's is preferred: it is the one operators run.
   */
  private static synchronized Path findExecutable() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    if (bundled == null) {
      try {
        bundled = ExecutableProvider.newJarResourceProvider().get().toPath();
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "redis-server is not on the PATH ("
                + path
                + ") and embedded-redis has no binary for this platform ("
                + e
                + "); these tests need a real Redis. Install it, e.g. apt-get install -y"
                + " redis-server",
            e);
      }
    }
    return bundled;
  }


  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
