package dev.tusk.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The side-by-side comparison: for each run, each scenario and each target (in an order rotated per
 * run), start the target's server on a fresh upload directory, run the scenario, stop the server,
 * delete the directory and {@code sync}. The directories of {@code small} and {@code smalldirty}
 * are kept until every run is done: deleting their 30,000 files right before the next target's
 * small run slowed that run 2-3× on ext4 (with two to three times the server CPU), so small is
 * never measured right after a mass deletion.
 * Every result is printed as one JSON line and appended to {@code results.jsonl}; at the end a
 * summary is printed and, if asked, the report written.
 */
final class Compare {
  /** What to run. */
  record Plan(int runs, Settings settings, List<String> scenarios, List<TargetSpec> targets,
      Path workDir, Path report, Path notes, boolean fsProbe, String invocation, String java,
      String tuskBuild, S3Scenario.Setup s3, StoredScenario.Setup stored) {
    Plan(int runs, Settings settings, List<String> scenarios, List<TargetSpec> targets,
        Path workDir, Path report, Path notes, boolean fsProbe, String invocation, String java,
        String tuskBuild, S3Scenario.Setup s3) {
      this(runs, settings, scenarios, targets, workDir, report, notes, fsProbe, invocation, java,
          tuskBuild, s3, new StoredScenario.Setup(java, s3 == null ? Path.of("no-s3proxy.jar")
              : s3.s3proxyJar(), StoredScenario.Sizes.of(settings.size()),
              List.of(StoredScenario.FS, StoredScenario.S3)));
    }
  }

  private final Plan plan;
  private final PrintStream out;
  private final List<Result> results = new ArrayList<>();
  private final Path runDir;
  /** Upload directories of small runs, deleted once every run is done (see the class comment). */
  private final List<Path> keptUntilTheEnd = new ArrayList<>();

  Compare(Plan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
    this.runDir = plan.workDir().resolve("results")
        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /** Runs the plan; returns every result. */
  List<Result> run() throws Exception {
    Meter.init();
    Files.createDirectories(runDir);
    Path data = Files.createDirectories(plan.workDir().resolve("data"));
    Map<String, Scenario> all = Scenario.all();
    Payload payload = new Payload(Payload.DEFAULT_SIZE, 20261123L);
    for (TargetSpec t : plan.targets()) {
      t.missing().ifPresent(why -> emit(skipped("*", t, 0, why)));
    }
    for (int run = 1; run <= plan.runs(); run++) {
      for (String name : plan.scenarios()) {
        Scenario scenario = all.get(name);
        if (scenario == null) {
          throw new IllegalArgumentException("no scenario " + name + "; known: " + all.keySet());
        }
        if (scenario instanceof S3Scenario) {
          runS3(run, data, payload);
          continue;
        }
        if (scenario instanceof StoredScenario) {
          runStored(run, data, payload);
          continue;
        }
        List<TargetSpec> order = rotated(plan.targets(), run - 1);
        for (TargetSpec t : order) {
          if (t.missing().isPresent() || t.skips().contains(name)) {
            continue;
          }
          emit(runOne(scenario, t, run, data, payload));
        }
      }
    }
    // fsprobe deletes 20,000 files per run: after every scenario, so that no measured target
    // starts right after that mass deletion
    for (int run = 1; plan.fsProbe() && run <= plan.runs(); run++) {
      Result r = new Result("fsprobe", "fs", run);
      try {
        FsProbe.run(data, plan.settings().dirtyFiles(), plan.settings().smallBytes(), r);
      } catch (IOException e) {
        r.fail(e.toString());
      }
      emit(r);
    }
    for (Path dir : keptUntilTheEnd) {
      deleteTree(dir);
    }
    keptUntilTheEnd.clear();
    if (plan.report() != null) {
      Map<String, String> machine = MachineInfo.describe(plan.java(), data);
      machine.put("tusk build under test", plan.tuskBuild());
      Report report = new Report(plan, results, runDir.resolve("results.jsonl"), machine);
      Files.createDirectories(plan.report().toAbsolutePath().getParent());
      Files.writeString(plan.report(), report.markdown());
      out.println("report written to " + plan.report());
    }
    out.println(Summary.text(results));
    return results;
  }

  private Result runOne(Scenario scenario, TargetSpec t, int run, Path data, Payload payload)
      throws InterruptedException {
    Result result = new Result(scenario.name(), t.name(), run);
    Path dir = data.resolve(run + "-" + scenario.name() + "-" + t.name());
    try {
      deleteTree(dir);
      Files.createDirectories(dir);
      if (scenario.name().equals("smalldirty")) {
        FsProbe.dirty(dir, plan.settings().dirtyFiles(), plan.settings().smallBytes());
      }
      int port = ServerProcess.freePort();
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      Path log = runDir.resolve("logs").resolve(run + "-" + scenario.name() + "-" + t.name()
          + ".log");
      try (ServerProcess server = ServerProcess.start(t.command().apply(port, dir), log, address,
          Duration.ofSeconds(60))) {
        Target target = new Target(t.name(), address, t.collection(), server.pid());
        try {
          scenario.run(target, plan.settings(), payload, result);
        } catch (Exception e) {
          result.fail(Errors.describe(e) + (server.alive() ? "" : " (server died: " + server.logTail() + ")"));
        }
      }
    } catch (IOException e) {
      result.fail(Errors.describe(e));
    } finally {
      if (scenario instanceof SmallScenario) {
        keptUntilTheEnd.add(dir); // deleting 30,000 files now would slow the next small run
      } else {
        deleteTree(dir);
      }
      FsProbe.sync();
      Thread.sleep(plan.settings().settle().toMillis());
    }
    return result;
  }

  /**
   * The s3 scenario: needs the tusk target (its jar) and the S3Proxy jar; the other targets have no
   * S3 store and sit it out. Its sides start their own endpoint and server.
   */
  private void runS3(int run, Path data, Payload payload) throws InterruptedException {
    TargetSpec tusk = plan.targets().stream().filter(t -> t.name().equals(S3Scenario.TUSK))
        .findFirst().orElse(null);
    if (tusk == null || tusk.missing().isPresent()) {
      return;
    }
    S3Scenario.Setup setup = plan.s3();
    Optional<String> missing = setup == null ? Optional.of("no S3 setup") : setup.missing();
    if (missing.isPresent()) {
      Result r = new Result("s3", S3Scenario.TUSK, run);
      r.put("status", "skipped");
      r.fail("skipped: " + missing.get());
      emit(r);
      return;
    }
    for (Result r : S3Scenario.runSides(setup, tusk, plan.settings(), payload, run, data,
        runDir.resolve("logs"))) {
      emit(r);
    }
  }

  /** The stored scenario: tusk on pre-written uploads, per store and size (see there). */
  private void runStored(int run, Path data, Payload payload) throws InterruptedException {
    TargetSpec tusk = plan.targets().stream().filter(t -> t.name().equals("tusk"))
        .findFirst().orElse(null);
    if (tusk == null || tusk.missing().isPresent()) {
      return;
    }
    StoredScenario.runAll(plan.stored(), tusk, payload, run, data, runDir.resolve("logs"),
        this::emit, keptUntilTheEnd::add);
  }

  private void emit(Result r) {
    results.add(r);
    String line = r.toJson();
    out.println(line);
    try {
      Files.writeString(runDir.resolve("results.jsonl"), line + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Result skipped(String scenario, TargetSpec t, int run, String why) {
    Result r = new Result(scenario, t.name(), run);
    r.put("status", "skipped");
    r.fail("skipped: " + why);
    return r;
  }

  static <T> List<T> rotated(List<T> list, int by) {
    List<T> rotated = new ArrayList<>(list);
    if (!rotated.isEmpty()) {
      java.util.Collections.rotate(rotated, -(by % rotated.size()));
    }
    return rotated;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
