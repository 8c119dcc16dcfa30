package dev.tusk.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code tusk-bench}: compare, run one scenario, serve the ceiling, probe the file system. */
@Command(name = "tusk-bench", mixinStandardHelpOptions = true,
    subcommands = {BenchCli.CompareCommand.class, BenchCli.RunCommand.class,
        BenchCli.CeilingCommand.class, BenchCli.FsProbeCommand.class,
        BenchCli.S3DirectCommand.class},
    description = "tus load generator and side-by-side comparison of tusk with peer servers.")
public final class BenchCli implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCli()).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  static final String ALL_SCENARIOS =
      "big,big8m,small,smalldirty,head,headmulti,idle,download,s3,stored";

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Start every target per scenario and run, write JSON lines and the report.")
  static final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Option(names = "--runs", defaultValue = "3") int runs;
    @Option(names = "--size", defaultValue = "full", description = "full, quick or tiny")
    String size;
    @Option(names = "--scenarios", split = ",", defaultValue = ALL_SCENARIOS)
    List<String> scenarios;
    @Option(names = "--targets", split = ",",
        defaultValue = "tusk,tus-node,tus-java-server,ceiling") List<String> targets;
    @Option(names = "--bench-dir", defaultValue = "bench") Path benchDir;
    @Option(names = "--tusk-jar", defaultValue = "server/target/tusk.jar") Path tuskJar;
    @Option(names = "--tusk-launcher", defaultValue = "bin/tusk",
        description = "the script that starts tusk (with config/jvm.options beside it)")
    Path tuskLauncher;
    @Option(names = "--tusk-jvm-args", defaultValue = "", description = "space-separated")
    String tuskJvmArgs;
    @Option(names = "--java", description = "java for the Java servers (default: this JVM's)")
    String javaBinary;
    @Option(names = "--work-dir", description = "data and results (default: <bench-dir>/work)")
    Path workDir;
    @Option(names = "--report", description = "markdown report to write") Path report;
    @Option(names = "--notes", description = "markdown appended to the report")
    Path notes;
    @Option(names = "--no-fsprobe", negatable = true, defaultValue = "true",
        description = "run the ext4 probe once per run") boolean fsProbe;
    @Option(names = "--invocation", description = "the command line to quote in the report")
    String invocation;
    @Option(names = "--s3proxy-jar", description = "S3Proxy's jar-with-dependencies for the s3 "
        + "scenario (default: <work-dir>/s3proxy/s3proxy-4.1.0-jar-with-dependencies.jar)")
    Path s3proxyJar;
    @Option(names = "--s3-checksum-mode", defaultValue = "WHEN_SUPPORTED",
        description = "request checksums of both s3 sides: WHEN_SUPPORTED (tusk's default) or "
            + "WHEN_REQUIRED") String s3ChecksumMode;
    @Option(names = "--s3-sides", split = ",", defaultValue = "aws-sdk-direct,tusk,tusk-8m",
        description = "what the s3 scenario runs: aws-sdk-direct, tusk (one PATCH), tusk-8m")
    List<String> s3Sides;
    @Option(names = "--stored-fs", description = "stored scenario: how many uploads to store "
        + "on the filesystem, e.g. 10k,100k,1M (default per --size; 0, the empty store, always "
        + "runs first)") String storedFs;
    @Option(names = "--stored-s3", description = "stored scenario: the same on S3Proxy, e.g. "
        + "10k,100k") String storedS3;
    @Option(names = "--stored-stores", split = ",", defaultValue = "fs,s3",
        description = "stored scenario: fs, s3 or both") List<String> storedStores;
    @Option(names = "--stored-s3-provider", defaultValue = S3Endpoint.FILESYSTEM,
        description = "stored scenario: S3Proxy's provider for the s3 store, filesystem-nio2 "
            + "(the default) or transient-nio2 (in memory)") String storedS3Provider;
    @Option(names = "--s3-tusk-jfr-dir", description = "record tusk with JFR (profile settings) "
        + "on the s3 tusk sides and dump each recording here after the measured upload")
    Path s3JfrDir;

    @Override
    public Integer call() throws Exception {
      String javaBin = javaBinary != null ? javaBinary
          : ProcessHandle.current().info().command().orElse("java");
      Path work = workDir != null ? workDir : benchDir.resolve("work");
      String build = describe(tuskJar);
      Path tusk = snapshot(tuskJar, work);
      TargetSpec.Paths paths = new TargetSpec.Paths(javaBin, tuskLauncher.toAbsolutePath(), tusk,
          tuskJvmArgs.isBlank() ? List.of() : Arrays.asList(tuskJvmArgs.trim().split("\\s+")),
          benchDir.resolve("peers/node"),
          benchDir.resolve("peers/tus-java-server/target/tus-java-server-peer.jar"),
          System.getProperty("java.class.path"));
      List<TargetSpec> chosen = TargetSpec.all(paths).stream()
          .filter(t -> targets.contains(t.name())).toList();
      for (String side : s3Sides) {
        if (!S3Scenario.SIDES.contains(side)) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "unknown s3 side " + side + "; known: " + S3Scenario.SIDES);
        }
      }
      S3Scenario.Setup s3 = new S3Scenario.Setup(javaBin, s3proxyJar != null ? s3proxyJar
          : work.resolve("s3proxy/s3proxy-4.1.0-jar-with-dependencies.jar"), s3ChecksumMode,
          s3Sides, s3JfrDir);
      StoredScenario.Setup stored = new StoredScenario.Setup(javaBin, s3.s3proxyJar(),
          StoredScenario.Sizes.of(size).withCounts(
              storedFs == null ? null : StoredScenario.counts(storedFs),
              storedS3 == null ? null : StoredScenario.counts(storedS3)), storedStores,
          storedS3Provider);
      Compare.Plan plan = new Compare.Plan(runs, Settings.of(size), scenarios, chosen,
          work, report, notes, fsProbe,
          invocation != null ? invocation : "tusk-bench compare " + String.join(" ",
              spec.commandLine().getParseResult().originalArgs()),
          javaBin, build, s3, stored);
      new Compare(plan, System.out).run();
      return 0;
    }

    private static String describe(Path jar) throws Exception {
      if (!Files.isRegularFile(jar)) {
        return "none (" + jar + " missing)";
      }
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(jar));
      return jar + ", built " + Files.getLastModifiedTime(jar) + ", sha256 "
          + HexFormat.of().formatHex(digest).substring(0, 16);
    }

    /**
     * Copies the tusk jar into the work dir so that a rebuild during the run cannot mix builds;
     * returns the copy (or the original path when it does not exist).
     */
    private static Path snapshot(Path jar, Path work) throws IOException {
      if (!Files.isRegularFile(jar)) {
        return jar;
      }
      Path copy = Files.createDirectories(work).resolve("tusk-under-test.jar");
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
      System.out.println("tusk under test: " + jar + " (" + Files
          .getLastModifiedTime(jar) + "), copied to " + copy);
      return copy;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run one scenario against a server that is already running.")
  static final class RunCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "collection URL, e.g. "
        + "http://127.0.0.1:8080/files/") URI url;
    @Option(names = "--scenario", required = true) String scenario;
    @Option(names = "--server-pid", defaultValue = "0",
        description = "server process for CPU and RSS readings") long pid;
    @Option(names = "--size", defaultValue = "quick") String size;

    @Override
    public Integer call() throws Exception {
      Scenario s = Scenario.all().get(scenario);
      if (s == null) {
        throw new CommandLine.ParameterException(new CommandLine(this),
            "no scenario " + scenario + "; known: " + Scenario.all().keySet());
      }
      Target target = new Target(url.getHost(), new InetSocketAddress(url.getHost(),
          url.getPort()), url.getPath(), pid);
      Meter.init();
      Result result = new Result(scenario, url.getHost() + ":" + url.getPort(), 1);
      try {
        s.run(target, Settings.of(size), new Payload(Payload.DEFAULT_SIZE, 20261123L), result);
      } catch (Exception e) {
        result.fail(Errors.describe(e));
      }
      System.out.println(result.toJson());
      return result.ok() ? 0 : 1;
    }
  }

  @Command(name = "ceiling", mixinStandardHelpOptions = true,
      description = "Serve the raw socket→file / sendfile ceiling until killed.")
  static final class CeilingCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--port", defaultValue = "0") int port;
    @Option(names = "--dir", required = true) Path dir;

    @Override
    public Integer call() throws Exception {
      try (CeilingServer server = CeilingServer.start(host, port, dir)) {
        System.out.println("ceiling listening on " + host + ":" + server.port());
        server.await();
      }
      return 0;
    }
  }

  @Command(name = "s3-direct", mixinStandardHelpOptions = true,
      description = "The s3 scenario's baseline process: warm-up multipart upload, 'ready', waits "
          + "for 'go' on stdin, the measured upload, 'done <parts>', waits for 'exit'.")
  static final class S3DirectCommand implements Callable<Integer> {
    @Option(names = "--endpoint", required = true) URI endpoint;
    @Option(names = "--bytes", required = true) long bytes;
    @Option(names = "--warmup", defaultValue = "0") long warmup;
    @Option(names = "--checksum-mode", defaultValue = "WHEN_SUPPORTED") String checksumMode;
    @Option(names = "--payload-size", defaultValue = "" + Payload.DEFAULT_SIZE) int payloadSize;
    @Option(names = "--seed", defaultValue = "20261123") long seed;

    @Override
    public Integer call() throws Exception {
      S3Scenario.directChild(endpoint, bytes, warmup, checksumMode,
          new Payload(payloadSize, seed));
      return 0;
    }
  }

  @Command(name = "fsprobe", mixinStandardHelpOptions = true,
      description = "Time file creation in a fresh directory and right after mass deletion.")
  static final class FsProbeCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true) Path dir;
    @Option(names = "--files", defaultValue = "20000") int files;

    @Override
    public Integer call() throws Exception {
      Result result = new Result("fsprobe", "fs", 1);
      FsProbe.run(Files.createDirectories(dir), files, 16 * 1024, result);
      System.out.println(result.toJson());
      return 0;
    }
  }
}
