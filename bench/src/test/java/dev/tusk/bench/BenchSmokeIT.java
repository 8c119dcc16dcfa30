package dev.tusk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only part of the benchmark in the test suite: every scenario runs at the tiny size against
 * the in-process ceiling server and, when its jar exists, against tusk as a child process; one
 * tiny comparison writes a report. It checks that the benchmark runs, not how fast anything is.
 */
class BenchSmokeIT {
  private static final List<String> SCENARIOS =
      List.of("big", "big8m", "small", "head", "headmulti", "idle", "download");
  private static final Settings TINY = Settings.of("tiny");
  /** The shipped launcher, which the comparison starts tusk with. */
  private static final Path LAUNCHER = Path.of("../bin/tusk").toAbsolutePath().normalize();

  private static Payload payload;

  @TempDir Path temp;

  @BeforeAll
  static void payload() {
    payload = new Payload(Payload.DEFAULT_SIZE, 1);
    Meter.init();
  }

  @Test
  void ceiling_everyScenarioAtTinySize_completes() throws Exception {
    try (CeilingServer ceiling = CeilingServer.start("127.0.0.1", 0, temp.resolve("ceiling"))) {
      Target target = new Target("ceiling", new InetSocketAddress("127.0.0.1", ceiling.port()),
          "/files/", ProcessHandle.current().pid());
      List<Result> results = runAll(target);

      assertThat(field(results, "big", "mb_per_s")).isInstanceOf(Double.class);
      assertThat(field(results, "small", "uploads")).isEqualTo(TINY.smallUploads());
      assertThat(field(results, "small", "mode")).isEqualTo("creation-with-upload");
      assertThat(field(results, "head", "errors")).isEqualTo(0);
      // the cold rates of the warm-ups (see Settings): measured, so positive
      assertThat((Double) field(results, "big", "cold_mb_per_s")).isPositive();
      assertThat((Double) field(results, "small", "cold_uploads_per_s")).isPositive();
      assertThat((Double) field(results, "head", "cold_req_per_s")).isPositive();
      assertThat(field(results, "idle", "stalled")).isEqualTo(TINY.idleUploads());
      assertThat(field(results, "download", "range_supported")).isEqualTo(true);
      assertThat(field(results, "download", "ranges")).isEqualTo(TINY.ranges());
      assertThat(field(results, "download", "range_warmup")).isEqualTo(TINY.rangeWarmup());
      assertThat((Double) field(results, "download", "cold_range_mb_per_s")).isPositive();
      assertThat(field(results, "download", "range_errors")).isEqualTo(0);
      assertThat(Summary.text(results)).contains("big", "ceiling");
    }
  }

  @Test
  void tusk_everyScenarioAtTinySize_completes() throws Exception {
    Path jar = Path.of(System.getProperty("tusk.jar", "../server/target/tusk.jar"));
    Assumptions.assumeTrue(Files.isRegularFile(jar), "tusk part skipped: no tusk jar at "
        + jar.toAbsolutePath() + " (build the server module first); the ceiling part ran");
    int port = ServerProcess.freePort();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    TargetSpec.Paths paths = new TargetSpec.Paths(
        ProcessHandle.current().info().command().orElse("java"), LAUNCHER, jar,
        List.of("-Xmx128m"), temp.resolve("no-node"), temp.resolve("no-tjs.jar"),
        System.getProperty("java.class.path"));
    List<String> command = TargetSpec.tusk(paths).command().apply(port, temp.resolve("tusk"));
    try (ServerProcess tusk = ServerProcess.start(command, temp.resolve("tusk.log"), address,
        Duration.ofSeconds(20))) {
      // the pid measured is the JVM itself (env and bin/tusk exec), with the shipped options
      // first and --tusk-jvm-args after them
      List<String> jvm = List.of(ProcessHandle.of(tusk.pid()).orElseThrow().info().arguments()
          .orElseThrow());
      assertThat(jvm).containsSubsequence("-XX:+UseSerialGC", "-Xmx128m", "-jar");
      List<Result> results = runAll(new Target("tusk", address, "/files/", tusk.pid()));

      assertThat(field(results, "big", "server_cpu_s")).isNotNull();
      assertThat(field(results, "small", "uploads")).isEqualTo(TINY.smallUploads());
    }
  }

  @Test
  void s3_tinyDirectAndTuskSides_completeAndVerify() throws Exception {
    Path jar = Path.of(System.getProperty("tusk.jar", "../server/target/tusk.jar"));
    Path s3proxy = Path.of(System.getProperty("s3proxy.jar",
        "work/s3proxy/s3proxy-4.1.0-jar-with-dependencies.jar"));
    Assumptions.assumeTrue(Files.isRegularFile(jar) && Files.isRegularFile(s3proxy),
        "s3 part skipped: needs " + jar.toAbsolutePath() + " and " + s3proxy.toAbsolutePath()
            + " (bench/run.sh fetches S3Proxy)");
    String java = ProcessHandle.current().info().command().orElse("java");
    TargetSpec.Paths paths = new TargetSpec.Paths(java, LAUNCHER, jar, List.of(),
        temp.resolve("no-node"),
        temp.resolve("no-tjs.jar"), System.getProperty("java.class.path"));
    S3Scenario.Setup setup = new S3Scenario.Setup(java, s3proxy, "WHEN_SUPPORTED",
        List.of(S3Scenario.DIRECT, S3Scenario.TUSK));

    List<Result> results = S3Scenario.runSides(setup, TargetSpec.tusk(paths), TINY, payload, 1,
        temp.resolve("data"), temp.resolve("logs"));

    assertThat(results).hasSize(2).allSatisfy(r -> {
      assertThat(r.ok()).as(r.toJson()).isTrue();
      assertThat(r.fields().get("object_bytes")).isEqualTo(TINY.s3Bytes());
      assertThat(r.fields().get("endpoint_cpu_s")).isNotNull();
    });
    assertThat(field(results, "s3", "ratio_to_direct")).isNull();
    assertThat(results).filteredOn(r -> r.target().equals(S3Scenario.TUSK)).singleElement()
        .satisfies(r -> assertThat(r.fields()).containsKeys("ratio_to_direct",
            "server_peak_rss_mib"));
    try (var left = Files.list(temp.resolve("data"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void compare_tinyRunOfTheCeiling_writesReportAndJsonLines() throws Exception {
    Path report = temp.resolve("BENCHMARKS.md");
    TargetSpec.Paths paths = new TargetSpec.Paths(
        ProcessHandle.current().info().command().orElse("java"), LAUNCHER,
        temp.resolve("no-tusk.jar"),
        List.of(), temp.resolve("no-node"), temp.resolve("no-tjs.jar"),
        System.getProperty("java.class.path"));
    List<TargetSpec> targets = List.of(TargetSpec.tusk(paths), TargetSpec.ceiling(paths));
    Compare.Plan plan = new Compare.Plan(1, TINY, List.of("big", "smalldirty", "s3"), targets,
        temp.resolve("work"), report, null, true, "tusk-bench compare --size tiny", "java",
        "none", new S3Scenario.Setup("java", temp.resolve("no-s3proxy.jar"), "WHEN_SUPPORTED",
            S3Scenario.SIDES));

    List<Result> results = new Compare(plan, System.out).run();

    assertThat(results).filteredOn(r -> r.target().equals("ceiling")).allMatch(Result::ok)
        .hasSize(2);
    assertThat(results).filteredOn(r -> r.scenario().equals("fsprobe")).allMatch(Result::ok);
    assertThat(results.get(results.size() - 1).scenario())
        .as("fsprobe's mass deletion comes after every measured scenario").isEqualTo("fsprobe");
    assertThat(Files.readString(report))
        .contains("## Machine", "tusk was not measured", "### big", "### smalldirty",
            "### fsprobe", "### s3");
    try (var files = Files.walk(temp.resolve("work/results"))) {
      assertThat(files.filter(p -> p.endsWith("results.jsonl")).findFirst()).isPresent();
    }
  }

  private static List<Result> runAll(Target target) throws Exception {
    Map<String, Scenario> all = Scenario.all();
    List<Result> results = new ArrayList<>();
    for (String name : SCENARIOS) {
      Result result = new Result(name, target.name(), 1);
      all.get(name).run(target, TINY, payload, result);
      assertThat(result.ok()).as(result.toJson()).isTrue();
      results.add(result);
    }
    return results;
  }

  private static Object field(List<Result> results, String scenario, String key) {
    return results.stream().filter(r -> r.scenario().equals(scenario)).findFirst().orElseThrow()
        .fields().get(key);
  }
}
