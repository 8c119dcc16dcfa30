package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tusk.conformance.StoreKind;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entrypoint and defaults, outside Docker (no engine runs on the build machines): the
 * Dockerfile's ENTRYPOINT command line and ENV variables, run as they are except that {@code
 * /app/lib/tusk.jar} is the built jar, {@code /app/bin/tusk} the repository's launcher (which reads
 * the repository's {@code config/jvm.options}, the file the image copies) and, so the test neither
 * writes to / nor listens beyond loopback,
 * TUSK_HOST, TUSK_PORT and TUSK_UPLOAD_DIR point at 127.0.0.1, a free port and a temporary
 * directory. The HEALTHCHECK command then runs with the same environment.
 */
class DockerImageIT {
  private static final Path DOCKERFILE = Path.of("../Dockerfile");
  private static final Path LAUNCHER = Path.of("../bin/tusk").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  static Map<String, List<String>> instructions;
  static Map<String, String> env;

  @TempDir Path dir;

  @BeforeAll
  static void parse() throws Exception {
    instructions = new LinkedHashMap<>();
    String text = Files.readString(DOCKERFILE).replaceAll("\\\\\\n", " ");
    String stage = "";
    for (String line : text.lines().map(String::strip).toList()) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      String word = parts[0].toUpperCase();
      if (word.equals("FROM")) {
        stage = parts[1];
      }
      instructions.computeIfAbsent(word, k -> new ArrayList<>()).add(parts.length > 1 ? parts[1] : "");
    }
    assertThat(stage).as("the final stage runs on a JRE").startsWith("eclipse-temurin:17-jre");
    env = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(TUSK_[A-Z0-9_]+)=(\\S+)").matcher(String.join(" ", instructions.get("ENV")));
    while (m.find()) {
      env.put(m.group(1), m.group(2));
    }
  }

  @Test
  @DisplayName("The image runs as a non-root user, exposes its port and keeps uploads on the /data volume")
  void dockerfile_defaults_areConsistent() {
    assertThat(instructions.get("USER")).singleElement().satisfies(u -> assertThat(u).doesNotStartWith("0").isNotEqualTo("root"));
    assertThat(instructions.get("EXPOSE")).containsExactly(env.get("TUSK_PORT"));
    assertThat(instructions.get("VOLUME")).singleElement().asString().contains("\"" + env.get("TUSK_UPLOAD_DIR") + "\"");
    assertThat(env.get("TUSK_UPLOAD_DIR")).isEqualTo("/data");
    assertThat(String.join(" ", instructions.get("HEALTHCHECK"))).contains("tusk.jar\", \"health\"");
    assertThat(instructions.get("COPY")).contains("bin/tusk /app/bin/tusk",
        "config/jvm.options /app/config/jvm.options");
  }

  @Test
  @DisplayName("The ENTRYPOINT with the image's environment serves uploads, passes the HEALTHCHECK and stops with exit 0 on SIGTERM")
  void entrypoint_withTheImageEnvironment_servesAndIsHealthy() throws Exception {
    assumeThat(StoreKind.current()).as("child-process tests run in the fs execution").isEqualTo(StoreKind.FS);
    Map<String, String> runEnv = new LinkedHashMap<>(env);
    int port = freePort();
    runEnv.put("TUSK_HOST", "127.0.0.1");
    runEnv.put("TUSK_PORT", String.valueOf(port));
    runEnv.put("TUSK_UPLOAD_DIR", dir.resolve("data").toString());
    runEnv.put("TUSK_JAR", TuskProcess.jar().toString());
    runEnv.put("JAVA", TuskProcess.java());
    try (TuskProcess tusk = TuskProcess.start(dir, runEnv, command("ENTRYPOINT"))) {
      assertThat(tusk.port).isEqualTo(port);
      assertThat(tusk.process.info().arguments().orElseThrow())
          .as("the launcher execs the JVM with the shipped options")
          .contains("-XX:+UseSerialGC", "-Xmx256m", "-jar");
      HttpResponse<String> created = TuskProcess.HTTP.send(
          HttpRequest.newBuilder(tusk.uri("/files/")).header("Tus-Resumable", "1.0.0").header("Upload-Length", "3")
              .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).isEqualTo(201);
      try (var files = Files.list(dir.resolve("data"))) {
        assertThat(files).isNotEmpty();
      }
      TuskProcess.Result health = TuskProcess.run(dir, runEnv, command("HEALTHCHECK"));
      assertThat(health.exitCode()).as(health.output()).isZero();
      assertThat(health.output()).contains("http://127.0.0.1:" + port + "/health/live 200");
      assertThat(tusk.terminate(Duration.ofSeconds(20))).isZero();
    }
    TuskProcess.Result down = TuskProcess.run(dir, runEnv, command("HEALTHCHECK"));
    assertThat(down.exitCode()).as("HEALTHCHECK with the server gone").isEqualTo(1);
  }

  /** The JSON-array command of ENTRYPOINT or HEALTHCHECK CMD, with java and the jar of this build. */
  private static List<String> command(String instruction) throws Exception {
    String value = instructions.get(instruction).get(0);
    String array = value.substring(value.indexOf('['));
    List<String> command = new ArrayList<>(Arrays.asList(JSON.readValue(array, String[].class)));
    assertThat(command.get(0)).isIn("java", "/app/bin/tusk");
    command.replaceAll(a -> switch (a) {
      case "java" -> TuskProcess.java();
      case "/app/bin/tusk" -> LAUNCHER.toString();
      case "/app/lib/tusk.jar" -> TuskProcess.jar().toString();
      default -> a;
    });
    return command;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
