package dev.tusk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the comparison can start: its name, a label for the report, the path of its upload
 * collection, the scenarios it sits out, why it cannot run (when it cannot), and its command line for
 * a port and an upload directory.
 */
record TargetSpec(
    String name,
    String label,
    String collection,
    Set<String> skips,
    Optional<String> missing,
    BiFunction<Integer, Path, List<String>> command) {

  /** Where the comparison finds the servers. */
  record Paths(String java, Path tuskLauncher, Path tuskJar, List<String> tuskJvmArgs,
      Path nodePeer, Path tjsJar, String benchClasspath) {}

  static List<TargetSpec> all(Paths p) {
    return List.of(tusk(p), node(p), tusJavaServer(p), ceiling(p));
  }

  static TargetSpec tusk(Paths p) {
    return new TargetSpec("tusk", "tusk", "/files/", Set.of(),
        Files.isRegularFile(p.tuskJar())
            ? Optional.empty()
            : Optional.of(p.tuskJar() + " does not exist (build server/ first)"),
        (port, dir) -> {
          // Started the way operators start it: bin/tusk with the shipped config/jvm.options;
          // --tusk-jvm-args become JAVA_OPTS, which the launcher applies after the file. env and
          // the launcher exec, so the pid measured is the JVM's.
          List<String> cmd = new ArrayList<>(List.of("env", "TUSK_JAR=" + p.tuskJar(),
              "JAVA=" + p.java(), JAVA_OPTS + String.join(" ", p.tuskJvmArgs()),
              p.tuskLauncher().toString()));
          cmd.addAll(List.of("serve", "--host", "127.0.0.1", "--port", port.toString(),
              "--upload-dir", dir.toString()));
          return cmd;
        });
  }

  private static final String JAVA_OPTS = "JAVA_OPTS=";

  /** {@code command} (a {@link #tusk} command) with {@code jvmArg} added to its JVM options. */
  static List<String> withJvmArg(List<String> command, String jvmArg) {
    List<String> out = new ArrayList<>(command);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).startsWith(JAVA_OPTS)) {
        String opts = out.get(i).substring(JAVA_OPTS.length());
        out.set(i, JAVA_OPTS + (opts.isEmpty() ? jvmArg : opts + " " + jvmArg));
        return out;
      }
    }
    throw new IllegalArgumentException("not a tusk command: " + command);
  }

  static TargetSpec node(Paths p) {
    Path modules = p.nodePeer().resolve("node_modules/@tus");
    String label = "@tus/server " + version(modules.resolve("server/package.json"))
        + " + @tus/file-store " + version(modules.resolve("file-store/package.json"))
        + " (Node.js " + nodeVersion() + ")";
    return new TargetSpec("tus-node", label, "/files/", Set.of("s3"),
        Files.isDirectory(modules.resolve("server"))
            ? Optional.empty()
            : Optional.of("no " + modules + " (run npm ci in " + p.nodePeer() + ")"),
        (port, dir) -> List.of("node", p.nodePeer().resolve("server.js").toString(),
            port.toString(), dir.toString()));
  }

  static TargetSpec tusJavaServer(Paths p) {
    return new TargetSpec("tus-java-server", "tus-java-server 1.0.0-3.0 on Jetty 12.0.23 (ee10)",
        "/files", Set.of("s3"),
        Files.isRegularFile(p.tjsJar())
            ? Optional.empty()
            : Optional.of(p.tjsJar() + " does not exist (mvn package in bench/peers/tus-java-server)"),
        (port, dir) -> List.of(p.java(), "-jar", p.tjsJar().toString(), port.toString(),
            dir.toString()));
  }

  static TargetSpec ceiling(Paths p) {
    return new TargetSpec("ceiling",
        "raw ceiling: socket→file with a 256 KiB direct buffer, sendfile for GET (no protocol)",
        "/files/", Set.of("idle", "s3"), Optional.empty(),
        (port, dir) -> List.of(p.java(), "-cp", p.benchClasspath(), BenchCli.class.getName(),
            "ceiling", "--port", port.toString(), "--dir", dir.toString()));
  }

  private static String version(Path packageJson) {
    try {
      Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
          .matcher(Files.readString(packageJson));
      return m.find() ? m.group(1) : "?";
    } catch (IOException e) {
      return "?";
    }
  }

  static String nodeVersion() {
    return MachineInfo.command("node", "--version").orElse("?");
  }
}
