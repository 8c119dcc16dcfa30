package dev.tusk.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tusk} with a stand-in {@code java} that prints the arguments it gets (and
 * MALLOC_ARENA_MAX), so what the launcher would run is checked without starting a JVM.
 */
class LauncherScriptTest {
  private static final Path LAUNCHER = Path.of("../bin/tusk").toAbsolutePath().normalize();
  private static final Path SHIPPED_OPTIONS =
      Path.of("../config/jvm.options").toAbsolutePath().normalize();

  @TempDir Path temp;
  private Path fakeJava;
  private Path jar;

  record Run(int exit, List<String> out, String err) {}

  @BeforeEach
  void stubs() throws IOException {
    fakeJava = temp.resolve("java");
    Files.writeString(fakeJava,
        "#!/bin/sh\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    jar = Files.writeString(temp.resolve("tusk.jar"), "not really a jar");
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("TUSK_JVM_OPTIONS");
    builder.environment().remove("MALLOC_ARENA_MAX");
    builder.environment().put("JAVA", fakeJava.toString());
    builder.environment().put("TUSK_JAR", jar.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.exitValue(), out.lines().toList(), err);
  }

  private static List<String> shippedOptions() throws IOException {
    return Files.readAllLines(SHIPPED_OPTIONS).stream()
        .map(l -> l.replaceFirst("#.*", "").strip())
        .filter(l -> !l.isEmpty())
        .toList();
  }

  @Test
  void shippedOptions_capTheHeapAndPickTheSerialCollector() throws IOException {
    assertThat(shippedOptions()).contains("-Xmx256m", "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void shippedOptions_keepC2CompilationUnitsSmall() throws IOException {
    // a fresh server's compiler is done sooner (docs/operations.md, "The JVM")
    assertThat(shippedOptions()).contains("-XX:InlineSmallCode=1000", "-XX:FreqInlineSize=150");
  }

  @Test
  void shippedOptions_startThisJdk() throws Exception {
    // every shipped option is one the running JDK accepts (17 in CI, also run on 25)
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(shippedOptions());
    command.add("-version");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
  }

  @Test
  void defaults_shippedOptionsThenJarThenArguments() throws Exception {
    Run run = run(Map.of(), "serve", "--port", "9999");

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> expected = new ArrayList<>();
    expected.add("MALLOC_ARENA_MAX=2");
    expected.addAll(shippedOptions());
    expected.addAll(List.of("-jar", jar.toString(), "serve", "--port", "9999"));
    assertThat(run.out()).containsExactlyElementsOf(expected);
  }

  @Test
  void javaOpts_comeAfterTheFileSoTheyWin_andTheirCollectorReplacesTheShippedOne()
      throws Exception {
    Run run = run(Map.of("JAVA_OPTS", "-Xmx2g  -XX:+UseG1GC", "MALLOC_ARENA_MAX", "4"), "config");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("MALLOC_ARENA_MAX=4")
        .doesNotContain("-XX:+UseSerialGC")
        .containsSubsequence("-Xmx256m", "-Xmx2g", "-XX:+UseG1GC", "-jar", jar.toString(),
            "config");
  }

  @Test
  void tuskJvmOptions_namesAnotherFile_withCommentsAndBlankLines() throws Exception {
    Path options = Files.writeString(temp.resolve("my.options"),
        "# mine\n\n  -Xmx64m   # small\n-Dtusk.test=yes\n");

    Run run = run(Map.of("TUSK_JVM_OPTIONS", options.toString()), "serve");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).containsExactly("MALLOC_ARENA_MAX=2", "-Xmx64m", "-Dtusk.test=yes",
        "-jar", jar.toString(), "serve");
  }

  @Test
  void missingOptionsFileOrJar_failsWithAMessage() throws Exception {
    Run noOptions = run(Map.of("TUSK_JVM_OPTIONS", temp.resolve("nope").toString()), "serve");
    assertThat(noOptions.exit()).isEqualTo(1);
    assertThat(noOptions.err()).contains("TUSK_JVM_OPTIONS", "does not exist");
    assertThat(noOptions.out()).isEmpty();

    Run noJar = run(Map.of("TUSK_JAR", temp.resolve("missing.jar").toString()), "serve");
    assertThat(noJar.exit()).isEqualTo(1);
    assertThat(noJar.err()).contains("no tusk.jar", "mvn -B -q package -DskipTests");
    assertThat(noJar.out()).isEmpty();
  }
}
