package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.StoreKind;
import dev.tusk.store.s3.S3ProxyFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server process killed with SIGKILL at random moments, several times, while concurrent
 * clients upload in every flavour ({@link CampaignClient}), and restarted on the same data each
 * time: on the filesystem store the same upload directory, on S3 the same bucket and prefix of the
 * S3Proxy in this JVM, which outlives every tusk process. After each restart no upload's offset is
 * below the last one the server acknowledged; at the end every upload finished and downloads
 * byte-exact, none is stuck. Seeded ({@code -Dtusk.campaign.seed}); prints its figures and every
 * kind of 5xx answer. {@code -Dtusk.campaign.kills=N} kills more often, {@code
 * -Dtusk.campaign.store=s3} runs one store only (for hunting a rare failure by hand).
 */
class KillCampaignIT {
  static final int CLIENTS = 6;
  static final int KILLS = Integer.getInteger("tusk.campaign.kills", 5);
  static final long SEED = Long.getLong("tusk.campaign.seed", 20261206L);
  /** How long the clients have to finish every upload after the last restart. */
  static final java.time.Duration FINISH = java.time.Duration.ofSeconds(120);

  @TempDir Path dir;

  private volatile TuskProcess server;

  @Test
  @DisplayName(
      "kill -9 at random moments during concurrent uploads (plain, creation-with-upload, checksum,"
          + " deferred length, concatenation): no acknowledged byte lost, every upload finishes"
          + " byte-exact, none stuck")
  void killNine_duringConcurrentUploads_losesNothing_leavesNothingStuck() throws Exception {
    String only = System.getProperty("tusk.campaign.store", "");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        only.isEmpty() || only.equalsIgnoreCase(StoreKind.current().name()),
        "-Dtusk.campaign.store=" + only + " runs the campaign on that store only");
    boolean s3 = StoreKind.current() == StoreKind.S3;
    Map<String, String> env = s3 ? s3Env("campaign-" + UUID.randomUUID() + "/") : fsEnv();
    // on S3 some uploads span multipart parts of 5 MiB; bodies below a part are rewritten as the
    // upload's tail object by each PATCH, so S3 gets fewer, larger requests
    int maxSize = s3 ? 6 << 20 : 3 << 20;
    int maxChunk = s3 ? 3 << 20 : 2 << 20;
    int killEvery = s3 ? 2_500 : 1_000; // at least this many ms of uploading between kills
    Random random = new Random(SEED);
    CampaignClient.Figures figures = new CampaignClient.Figures();
    long started = System.nanoTime();
    // while the server is being killed nothing can be stuck; afterwards every upload has this long
    java.util.concurrent.atomic.AtomicLong finishBy = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    int kills = 0;
    long restartNanos = 0;

    server = TuskProcess.serve(dir, env);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      java.util.concurrent.atomic.AtomicBoolean creating = new java.util.concurrent.atomic.AtomicBoolean(true);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        CampaignClient client =
            new CampaignClient(() -> server.port, SEED * 31 + i, figures, maxSize, maxChunk, finishBy::get);
        running.add(clients.submit(() -> client.run(creating::get)));
      }
      for (; kills < KILLS; kills++) {
        Thread.sleep(killEvery + random.nextInt(2_500));
        server.process.destroyForcibly(); // SIGKILL
        assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).as("killed tusk exits").isTrue();
        long restart = System.nanoTime();
        server = TuskProcess.serve(dir, env);
        restartNanos += System.nanoTime() - restart;
      }
      finishBy.set(System.nanoTime() + FINISH.toNanos());
      Thread.sleep(1_000);
      creating.set(false);
      for (Future<?> f : running) {
        f.get(FINISH.toSeconds() + 30, TimeUnit.SECONDS);
      }
      List<String> wrong = CampaignClient.verify(() -> server.port, figures.finished);
      String report =
          String.format(
              "kill campaign (%s, seed %d): %d uploads, %d finished, %d kills, %d bytes acknowledged,"
                  + " %d bytes lost in %d offset regressions, %d stuck, %d wrong downloads,"
                  + " %d requests without an answer, %d 5xx answers, %.1f s (%.1f s restarting)",
              s3 ? "s3" : "fs", SEED, figures.uploads.get(), figures.finished.size(), kills,
              figures.acknowledged.get(), figures.lost.get(), figures.regressions.get(),
              figures.stuck.size(), wrong.size(), figures.failedRequests.get(),
              figures.serverErrors.get(), (System.nanoTime() - started) / 1e9, restartNanos / 1e9);
      System.out.println(report);
      figures.serverErrorKinds.forEach((kind, n) -> System.out.println("  " + n + " x " + kind));
      assertThat(figures.lost.get()).as(report).isZero();
      assertThat(figures.stuck).as(report + "; 5xx answers: " + figures.serverErrorKinds).isEmpty();
      assertThat(wrong).as(report).isEmpty();
      assertThat(figures.finished.size()).as("uploads finished, at least one per client")
          .isGreaterThanOrEqualTo(CLIENTS);
    } finally {
      clients.shutdownNow();
      clients.awaitTermination(30, TimeUnit.SECONDS);
      server.close();
    }
  }

  private Map<String, String> fsEnv() {
    return Map.of("TUSK_UPLOAD_DIR", dir.resolve("data").toString(), "TUSK_MAX_SIZE", "1GiB");
  }

  private Map<String, String> s3Env(String prefix) {
    return Map.ofEntries(
        Map.entry("TUSK_STORE", "s3"),
        Map.entry("TUSK_S3_ENDPOINT", S3ProxyFixture.shared().endpoint().toString()),
        Map.entry("TUSK_S3_BUCKET", S3ProxyFixture.BUCKET),
        Map.entry("TUSK_S3_PREFIX", prefix),
        Map.entry("TUSK_S3_PATH_STYLE", "true"),
        Map.entry("TUSK_S3_ACCESS_KEY", S3ProxyFixture.CREDENTIALS.accessKeyId()),
        Map.entry("TUSK_S3_SECRET_KEY", S3ProxyFixture.CREDENTIALS.secretAccessKey()),
        Map.entry("TUSK_S3_PART_SIZE", "5MiB"),
        Map.entry("TUSK_S3_TEMP_DIR", dir.resolve("parts").toString()),
        Map.entry("TUSK_S3_TEMP_BUDGET", "256MiB"),
        Map.entry("TUSK_MAX_SIZE", "1GiB"),
        Map.entry("TUSK_UPLOAD_DIR", dir.resolve("data").toString()));
  }
}
