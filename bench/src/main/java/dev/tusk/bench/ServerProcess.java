package dev.tusk.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test started as a child process with output to a log file; ready once its port
 * accepts a connection. Closing sends SIGTERM, then SIGKILL after 15 s.
 */
final class ServerProcess implements AutoCloseable {
  /** Servers still running; a shutdown hook kills them when the generator is stopped early. */
  private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap
      .newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "kill-servers"));
  }

  private final Process process;
  private final Path log;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ServerProcess start(List<String> command, Path log, InetSocketAddress address,
      Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    LIVE.add(process);
    ServerProcess server = new ServerProcess(process, log);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("server exited with " + process.exitValue() + " before listening: "
            + server.logTail());
      }
      try {
        SocketChannel.open(address).close();
        return server;
      } catch (IOException notYet) {
        if (System.nanoTime() - deadline > 0) {
          server.close();
          throw new IOException("server not listening on " + address + " within "
              + timeout.toSeconds() + " s: " + server.logTail());
        }
        Thread.sleep(50);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log)";
    }
  }

  /** Stops the server: SIGTERM, then SIGKILL after 15 s. Keeps the thread's interrupt status. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    LIVE.remove(process);
  }
}
