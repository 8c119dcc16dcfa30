package dev.tusk.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code s3}: tusk→S3 against a direct AWS SDK v2 multipart upload of the same bytes to the same
 * kind of endpoint, in the same run. Unlike the other scenarios it starts its own processes, so
 * {@link Compare} calls {@link #runSides} instead of {@link #run}. Per run, each side in turn (order
 * rotated per run) gets a fresh {@link S3Endpoint} (S3Proxy, filesystem provider) on a fresh
 * directory:
 *
 * <ul>
 *   <li>{@value #DIRECT}: a fresh JVM ({@code tusk-bench s3-direct}, a new process per side as tusk
 *       is) uploads {@link Settings#s3Bytes()} of the {@link Payload} stream with
 *       CreateMultipartUpload, UploadPart ({@value #PART_MIB} MiB parts, {@value #IN_FLIGHT}
 *       at once from a pool of as many threads) and CompleteMultipartUpload;
 *   <li>{@value #TUSK}: tusk is started with {@code --store s3} against the endpoint with the same
 *       part size and parts in flight, and the same bytes go up in one PATCH;
 *   <li>{@value #TUSK_8M}: the same in PATCHes of {@link Settings#chunkBytes()} on one connection.
 * </ul>
 *
 * Each side first uploads {@link Settings#warmupBytes()} the same way (not measured). MB/s is wall
 * clock from CreateMultipartUpload (or POST) to the CompleteMultipartUpload response (or the final
 * 204: tusk completes the multipart upload before it answers the last PATCH). Right after, the
 * object is checked with HeadObject (it exists, complete, with the right size) and ranged GETs of
 * sampled ranges compared with what was sent. Reported besides: the uploader's (tusk's or the
 * s3-direct process's) CPU s/GB and peak RSS, the generator's CPU, and the endpoint's CPU, which
 * shares the same cores.
 */
final class S3Scenario implements Scenario {
  static final String DIRECT = "aws-sdk-direct";
  static final String TUSK = "tusk";
  static final String TUSK_8M = "tusk-8m";
  static final List<String> SIDES = List.of(DIRECT, TUSK, TUSK_8M);
  static final int PART_MIB = 16;
  static final long PART_BYTES = PART_MIB * Settings.MIB;
  static final int IN_FLIGHT = 4;
  private static final int SAMPLES = 8;
  private static final int SAMPLE_BYTES = 64 * 1024;

  /** What the comparison needs beyond the tusk target: the endpoint, checksum mode, sides. */
  record Setup(String java, Path s3proxyJar, String checksumMode, List<String> sides,
      Path jfrDir) {
    Setup(String java, Path s3proxyJar, String checksumMode, List<String> sides) {
      this(java, s3proxyJar, checksumMode, sides, null);
    }

    Optional<String> missing() {
      return Files.isRegularFile(s3proxyJar)
          ? Optional.empty()
          : Optional.of("no S3Proxy jar at " + s3proxyJar + " (bench/run.sh fetches it with mvn "
              + "dependency:copy)");
    }
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public String summary() {
    return "tusk→S3 (S3Proxy, filesystem) against a direct AWS SDK multipart upload of the same "
        + "bytes, 16 MiB parts, 4 in flight — MB/s, CPU s/GB, peak RSS";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result) {
    throw new UnsupportedOperationException(
        "s3 starts its own S3 endpoint and tusk: run it with `tusk-bench compare --scenarios s3`");
  }

  /**
   * Runs every side of one run, each on a fresh endpoint and directory under {@code data}, logs
   * under {@code logs}; returns one result per side ({@code target} = the side). On the tusk sides,
   * {@code ratio_to_direct} is their MB/s over the direct side's of the same run.
   */
  static List<Result> runSides(Setup setup, TargetSpec tusk, Settings settings, Payload payload,
      int run, Path data, Path logs) throws InterruptedException {
    List<Result> results = new ArrayList<>();
    for (String side : Compare.rotated(setup.sides(), run - 1)) {
      Result result = new Result("s3", side, run);
      Path dir = data.resolve(run + "-s3-" + side);
      try {
        Compare.deleteTree(dir);
        Files.createDirectories(dir);
        try (S3Endpoint endpoint = S3Endpoint.start(setup.java(), setup.s3proxyJar(),
            dir.resolve("s3"), logs.resolve(run + "-s3-" + side + "-s3proxy.log"),
            setup.checksumMode())) {
          try {
            if (side.equals(DIRECT)) {
              direct(endpoint, setup, settings, payload,
                  logs.resolve(run + "-s3-" + side + ".log"), result);
            } else {
              viaTusk(endpoint, tusk, side.equals(TUSK_8M), setup, settings, payload, dir,
                  logs.resolve(run + "-s3-" + side + ".log"), result);
            }
          } catch (Exception e) {
            result.fail(Errors.describe(e) + (endpoint.alive() ? ""
                : " (S3Proxy died: " + endpoint.logTail() + ")"));
          }
        }
      } catch (IOException e) {
        result.fail(Errors.describe(e));
      } finally {
        Compare.deleteTree(dir);
        FsProbe.sync();
        Thread.sleep(settings.settle().toMillis());
      }
      results.add(result);
    }
    Optional<Double> direct = results.stream()
        .filter(r -> r.ok() && r.target().equals(DIRECT))
        .map(r -> ((Number) r.fields().get("mb_per_s")).doubleValue()).findFirst();
    for (Result r : results) {
      if (r.ok() && !r.target().equals(DIRECT) && direct.isPresent() && direct.get() > 0) {
        r.put("ratio_to_direct", ((Number) r.fields().get("mb_per_s")).doubleValue()
            / direct.get());
      }
    }
    return results;
  }

  /**
   * The baseline: a fresh JVM ({@code tusk-bench s3-direct}, like tusk a new process per side, so
   * neither side profits from a JIT warmed by earlier runs) uploads the bytes with the SDK's
   * multipart API. It warms up, says {@code ready}, uploads when told {@code go}, says {@code done}
   * and waits for {@code exit}, so that its CPU can be read around the measured upload alone.
   */
  private static void direct(S3Endpoint endpoint, Setup setup, Settings settings,
      Payload payload, Path log, Result result) throws Exception {
    long size = settings.s3Bytes();
    List<String> command = List.of(setup.java(), "-cp", System.getProperty("java.class.path"),
        BenchCli.class.getName(), "s3-direct", "--endpoint", endpoint.endpoint().toString(),
        "--bytes", Long.toString(size), "--warmup", Long.toString(settings.warmupBytes()),
        "--checksum-mode", setup.checksumMode(), "--payload-size",
        Integer.toString(payload.size()), "--seed", Long.toString(payload.seed()));
    Files.createDirectories(log.getParent());
    Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
            child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        java.io.PrintStream toChild = new java.io.PrintStream(child.getOutputStream(), true,
            java.nio.charset.StandardCharsets.UTF_8)) {
      expectLine(child, in, "ready", Duration.ofSeconds(60).plus(Tus.timeoutFor(
          settings.warmupBytes())), log);
      Phase phase = Phase.start(child.pid(), endpoint.pid());
      toChild.println("go");
      String done = expectLine(child, in, "done", Tus.timeoutFor(size), log);
      phase.stop(result, size, false);
      toChild.println("exit");
      result.put("bytes", size);
      result.put("parts", Integer.parseInt(done.substring("done ".length()).trim()));
      verify(endpoint.client(), "direct", size, payload, result);
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        throw new IOException("s3-direct did not exit");
      }
    } finally {
      child.destroyForcibly();
    }
  }

  /** The child's next line, which must start with {@code word}, within {@code timeout}. */
  private static String expectLine(Process child, java.io.BufferedReader in, String word,
      Duration timeout, Path log) throws Exception {
    java.util.concurrent.CompletableFuture<String> line =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return in.readLine();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    String got;
    try {
      got = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      child.destroyForcibly();
      throw new IOException("s3-direct said nothing within " + timeout.toSeconds() + " s");
    }
    if (got == null || !got.startsWith(word)) {
      child.waitFor(5, TimeUnit.SECONDS);
      String tail;
      try {
        List<String> lines = Files.readAllLines(log);
        tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
      } catch (IOException e) {
        tail = "(no log)";
      }
      throw new IOException("s3-direct: expected " + word + ", got " + got + ": " + tail);
    }
    return got;
  }

  /**
   * The child side of {@link #direct}: warm-up upload, {@code ready}, wait for {@code go}, the
   * measured upload, {@code done <parts>}, wait for {@code exit}.
   */
  static void directChild(java.net.URI endpoint, long size, long warmup, String checksumMode,
      Payload payload) throws Exception {
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
        System.in, java.nio.charset.StandardCharsets.UTF_8));
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
      Thread t = new Thread(r, "direct-part");
      t.setDaemon(true);
      return t;
    });
    try (S3Client s3 = S3Endpoint.client(endpoint, checksumMode, 16)) {
      multipart(s3, pool, "warmup", warmup, payload);
      System.out.println("ready");
      System.out.flush();
      if (!"go".equals(in.readLine())) {
        return;
      }
      int parts = multipart(s3, pool, "direct", size, payload);
      System.out.println("done " + parts);
      System.out.flush();
      in.readLine();
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * CreateMultipartUpload, UploadPart of {@link #PART_BYTES} from the payload stream at offset 0
   * with at most {@link #IN_FLIGHT} at once (the pool's threads), CompleteMultipartUpload; aborts on
   * failure. Returns the number of parts.
   */
  static int multipart(S3Client s3, ExecutorService pool, String key, long size, Payload payload)
      throws Exception {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(S3Endpoint.BUCKET).key(key))
        .uploadId();
    try {
      List<Future<CompletedPart>> futures = new ArrayList<>();
      int number = 0;
      for (long offset = 0; offset < size || number == 0; offset += PART_BYTES) {
        int partNumber = ++number;
        long from = offset;
        long length = Math.min(PART_BYTES, size - offset);
        futures.add(pool.submit(() -> {
          String etag = s3.uploadPart(b -> b.bucket(S3Endpoint.BUCKET).key(key)
                  .uploadId(uploadId).partNumber(partNumber).contentLength(length),
              RequestBody.fromContentProvider(() -> new PayloadStream(payload, from, length),
                  length, "application/octet-stream")).eTag();
          return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        }));
      }
      List<CompletedPart> parts = new ArrayList<>();
      for (Future<CompletedPart> f : futures) {
        parts.add(f.get(Tus.timeoutFor(PART_BYTES).toSeconds(), TimeUnit.SECONDS));
      }
      s3.completeMultipartUpload(b -> b.bucket(S3Endpoint.BUCKET).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));
      return parts.size();
    } catch (Exception e) {
      try {
        s3.abortMultipartUpload(b -> b.bucket(S3Endpoint.BUCKET).key(key).uploadId(uploadId));
      } catch (RuntimeException ignored) {
        // the original failure is what counts
      }
      throw e;
    }
  }

  /** tusk with its S3 store against the endpoint; the bytes go up over tus. */
  private static void viaTusk(S3Endpoint endpoint, TargetSpec tusk, boolean chunked, Setup setup,
      Settings settings, Payload payload, Path dir, Path log, Result result) throws Exception {
    long size = settings.s3Bytes();
    int port = ServerProcess.freePort();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    List<String> command = new ArrayList<>(tusk.command().apply(port, dir.resolve("fs")));
    if (setup.jfrDir() != null) {
      // tusk halts in its shutdown hook, so dump-on-exit writes nothing: jcmd dumps it below
      command = TargetSpec.withJvmArg(command, "-XX:StartFlightRecording=name=bench,settings=profile");
    }
    command.addAll(tuskS3Flags(endpoint.endpoint().toString(), dir.resolve("tusk-s3-tmp"),
        setup.checksumMode()));
    try (ServerProcess server = ServerProcess.start(command, log, address,
        Duration.ofSeconds(60))) {
      Target target = new Target(tusk.name(), address, tusk.collection(), server.pid());
      try (HttpConnection c = HttpConnection.open(address, Duration.ofSeconds(10))) {
        long warm = settings.warmupBytes();
        Tus.upload(c, target, warm, payload, chunked ? settings.chunkBytes() : warm);
        long chunk = chunked ? settings.chunkBytes() : size;
        Phase phase = Phase.start(server.pid(), endpoint.pid());
        String path = Tus.upload(c, target, size, payload, chunk);
        phase.stop(result, size, true);
        result.put("bytes", size);
        result.put("patches", (size + chunk - 1) / chunk);
        if (setup.jfrDir() != null) {
          result.put("jfr", jfrDump(server.pid(), setup.jfrDir(),
              result.fields().get("run") + "-s3-" + result.target() + ".jfr"));
        }
        String key = path.substring(path.lastIndexOf('/') + 1);
        verify(endpoint.client(), key, size, payload, result);
        c.deadline(Tus.timeoutFor(0));
        HttpResponse head = c.exchange(Tus.headRequest(c, path), null, 0, 0, true);
        Tus.expect(head, "HEAD " + path, 200);
        if (head.longHeader("Upload-Offset") != size) {
          throw new IOException("HEAD " + path + " after the last PATCH: " + head);
        }
      } catch (Exception e) {
        if (!server.alive()) {
          throw new IOException(Errors.describe(e) + " (tusk died: " + server.logTail() + ")", e);
        }
        throw e;
      }
    }
  }

  /** Dumps the running recording {@code bench} of {@code pid} with jcmd; returns the file. */
  private static String jfrDump(long pid, Path dir, String name) throws IOException,
      InterruptedException {
    Path file = Files.createDirectories(dir).resolve(name).toAbsolutePath();
    Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "JFR.dump", "name=bench",
        "filename=" + file).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IOException("jcmd JFR.dump failed: " + out.trim());
    }
    return file.toString();
  }

  /** tusk's S3 options for the endpoint: the same part size and parts in flight as the baseline. */
  static List<String> tuskS3Flags(String endpoint, Path tempDir, String checksumMode) {
    return List.of("--store", "s3", "--s3-endpoint", endpoint,
        "--s3-bucket", S3Endpoint.BUCKET, "--s3-path-style",
        "--s3-access-key", S3Endpoint.ACCESS_KEY, "--s3-secret-key", S3Endpoint.SECRET_KEY,
        "--s3-checksum-mode", checksumMode.toLowerCase(java.util.Locale.ROOT),
        "--s3-part-size", PART_MIB + "MiB", "--s3-parts-in-flight", Integer.toString(IN_FLIGHT),
        "--s3-temp-dir", tempDir.toString(), "--s3-temp-budget", "1GiB", "--max-size", "4GiB");
  }

  /**
   * The object exists right after the upload, with the size sent, and {@value #SAMPLES} ranges
   * (first, last, the rest at seeded random offsets) hold the bytes sent.
   */
  static void verify(S3Client s3, String key, long size, Payload payload, Result result)
      throws IOException {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(S3Endpoint.BUCKET).key(key));
    } catch (RuntimeException e) {
      throw new IOException("object " + key + " not in S3 right after the upload: " + e, e);
    }
    if (head.contentLength() != size) {
      throw new IOException("object " + key + " has " + head.contentLength() + " bytes, sent "
          + size);
    }
    SplittableRandom random = new SplittableRandom(size);
    int samples = 0;
    for (int i = 0; i < SAMPLES; i++) {
      long len = Math.min(SAMPLE_BYTES, size);
      long from = i == 0 ? 0 : i == 1 ? size - len : random.nextLong(size - len + 1);
      if (len == 0) {
        break;
      }
      ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(S3Endpoint.BUCKET)
          .key(key).range("bytes=" + from + "-" + (from + len - 1)));
      ByteBuffer bytes = got.asByteBuffer();
      if (bytes.remaining() != len || !payload.matches(bytes, from)) {
        throw new IOException("object " + key + " differs from what was sent in [" + from + "+"
            + len + "] (" + bytes.remaining() + " bytes read)");
      }
      samples++;
    }
    result.put("object_bytes", head.contentLength());
    result.put("verified_ranges", samples);
  }

  /**
   * One measured phase: wall time, CPU of the uploader (tusk, or the s3-direct process), of the
   * endpoint, of this JVM and of the rest of the machine, and the uploader's and the endpoint's
   * memory at the end.
   */
  private record Phase(long tuskPid, long endpointPid, Optional<ProcStats> tusk0,
      Optional<ProcStats> endpoint0, ProcStats self0, double machine0, long t0) {

    static Phase start(long tuskPid, long endpointPid) {
      return new Phase(tuskPid, endpointPid, ProcStats.of(tuskPid), ProcStats.of(endpointPid),
          ProcStats.self(), Meter.machineBusySeconds(), System.nanoTime());
    }

    void stop(Result r, long bytes, boolean viaTusk) {
      double seconds = (System.nanoTime() - t0) / 1e9;
      ProcStats self = ProcStats.self();
      Optional<ProcStats> tusk = ProcStats.of(tuskPid);
      Optional<ProcStats> endpoint = ProcStats.of(endpointPid);
      double machine = Meter.machineBusySeconds() - machine0;
      double gb = bytes / 1e9;
      r.put("seconds", seconds);
      r.put("mb_per_s", bytes / 1e6 / seconds);
      double client = self.cpuSeconds() - self0.cpuSeconds();
      double tuskCpu = 0;
      if (tusk.isPresent() && tusk0.isPresent()) {
        tuskCpu = tusk.get().cpuSeconds() - tusk0.get().cpuSeconds();
        String who = viaTusk ? "server" : "direct";
        r.put(who + "_cpu_s", tuskCpu);
        r.put(who + "_cpu_s_per_gb", tuskCpu / gb);
        r.put(who + "_rss_mib", tusk.get().rssMib());
        r.put(who + "_peak_rss_mib", tusk.get().peakRssMib());
      }
      // who moved the bytes to S3: tusk, or the s3-direct process
      r.put("uploader_cpu_s_per_gb", tuskCpu / gb);
      r.put("client_cpu_s", client);
      r.put("client_cpu_s_per_gb", client / gb);
      double endpointCpu = 0;
      if (endpoint.isPresent() && endpoint0.isPresent()) {
        endpointCpu = endpoint.get().cpuSeconds() - endpoint0.get().cpuSeconds();
        r.put("endpoint_cpu_s", endpointCpu);
        r.put("endpoint_cpu_s_per_gb", endpointCpu / gb);
        r.put("endpoint_peak_rss_mib", endpoint.get().peakRssMib());
      }
      r.put("other_cpu_s", Math.max(0, machine - client - tuskCpu - endpointCpu));
    }
  }

  /** The payload stream [from, from+length) as an InputStream, for the SDK's request bodies. */
  static final class PayloadStream extends InputStream {
    private final Payload payload;
    private long position;
    private final long end;

    PayloadStream(Payload payload, long from, long length) {
      this.payload = payload;
      this.position = from;
      this.end = from + length;
    }

    @Override
    public int read() {
      if (position >= end) {
        return -1;
      }
      return payload.slice(position++, 1).get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      ByteBuffer slice = payload.slice(position, Math.min(len, end - position));
      int n = slice.remaining();
      slice.get(b, off, n);
      position += n;
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, end - position);
    }
  }
}
