package dev.tusk.conformance.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.s3.FaultProxy.Fault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Concurrent clients upload while, from their first request and for a window, a quarter of tusk's
 * S3 requests fail (500, 503, a delay beyond the store timeout, a connection reset). Clients
 * behave like tus clients: on 503 they wait and ask HEAD where to resume. During and after the window no answer is a 500 and every
 * 503 carries Retry-After; no request waits longer than the store timeout plus a margin; no
 * acknowledged byte is lost (HEAD never reports less than was acknowledged); and every upload
 * finishes and downloads byte-exact once S3 is healthy again. Prints the figures.
 */
@EnabledIfSystemProperty(named = "tusk.store", matches = "s3")
class S3FaultCampaignIT {
  static final int CLIENTS = 6;
  static final int UPLOADS = 18;
  static final int CHUNK = 1 << 20;
  static final Duration FAULT_WINDOW = Duration.ofSeconds(15);
  static final Duration DEADLINE = Duration.ofSeconds(75);
  static final Duration MARGIN = Duration.ofSeconds(4);
  static final double FAULT_RATE = 0.25;

  /** What the clients saw. */
  static final class Figures {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong slowestMillis = new AtomicLong();
    final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    <T> HttpResponse<T> record(String what, long startNanos, HttpResponse<T> response) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      slowestMillis.accumulateAndGet(millis, Math::max);
      requests.incrementAndGet();
      statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
      if (millis > S3Behind.STORE_TIMEOUT.plus(MARGIN).toMillis()) {
        violations.add(what + " took " + millis + " ms");
      }
      int status = response.statusCode();
      if (status == 503) {
        unavailable.incrementAndGet();
        if (response.headers().firstValue("Retry-After").isEmpty()) {
          violations.add(what + " answered 503 without Retry-After");
        }
      } else if (status >= 500 || (status >= 400 && status != 409 && status != 423)) {
        violations.add(what + " answered " + status + ": " + response.body());
      }
      return response;
    }
  }

  @Test
  @DisplayName("S3 fault campaign: 503 + Retry-After in bounded time, nothing acknowledged lost, every upload finishes")
  void faultCampaign() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    Figures figures = new Figures();
    long started = System.nanoTime();
    try (S3Behind tusk = S3Behind.start()) {
      // Faults from the first request on: on an idle machine every upload can be done within
      // two seconds, so a window that opens later may meet no S3 traffic at all.
      SplittableRandom faults = random.split();
      tusk.proxy.plan((method, path) -> {
        synchronized (faults) {
          if (faults.nextDouble() >= FAULT_RATE) {
            return Fault.NONE;
          }
          return Fault.values()[1 + faults.nextInt(Fault.values().length - 1)];
        }
      });
      long windowEnds = System.nanoTime() + FAULT_WINDOW.toNanos();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<Boolean>> uploads = new ArrayList<>();
      for (int i = 0; i < UPLOADS; i++) {
        int size = i % 3 == 0 ? 5 * CHUNK + random.nextInt(2 * CHUNK) : 1 + random.nextInt(CHUNK + CHUNK / 2);
        byte[] data = new byte[size];
        new SplittableRandom(seed + i).nextBytes(data);
        uploads.add(clients.submit(() -> upload(tusk, data, figures, started)));
      }
      while (System.nanoTime() < windowEnds && !uploads.stream().allMatch(Future::isDone)) {
        Thread.sleep(100);
      }
      tusk.proxy.plan((method, path) -> Fault.NONE);
      long finished = 0;
      for (Future<Boolean> upload : uploads) {
        if (upload.get(DEADLINE.toSeconds() + 30, TimeUnit.SECONDS)) {
          finished++;
        }
      }
      clients.shutdown();
      long stuck = UPLOADS - finished;
      System.out.printf(
          "S3 fault campaign (seed %d): %d uploads, %d finished byte-exact, %d stuck; %d requests"
              + " (%s), %d answered 503; faults injected %d (500: %d, 503: %d, delay: %d, reset: %d);"
              + " %d bytes acknowledged, %d lost; slowest request %d ms (bound %d ms); %.1f s%n",
          seed, UPLOADS, finished, stuck, figures.requests.get(), figures.statuses,
          figures.unavailable.get(), tusk.proxy.faults(), tusk.proxy.injected(Fault.ERROR_500),
          tusk.proxy.injected(Fault.ERROR_503), tusk.proxy.injected(Fault.DELAY),
          tusk.proxy.injected(Fault.RESET), figures.acknowledged.get(), figures.lost.get(),
          figures.slowestMillis.get(), S3Behind.STORE_TIMEOUT.plus(MARGIN).toMillis(),
          (System.nanoTime() - started) / 1e9);
      assertThat(figures.violations).as("seed " + seed).isEmpty();
      assertThat(figures.lost.get()).as("acknowledged bytes lost").isZero();
      assertThat(stuck).as("uploads stuck").isZero();
      assertThat(tusk.proxy.faults()).as("faults injected").isPositive();
      assertThat(figures.unavailable.get()).as("503 answers seen").isPositive();
    }
  }

  /** One tus client's upload: resumes from HEAD after any failure; true if it ends byte-exact. */
  private static boolean upload(S3Behind tusk, byte[] data, Figures figures, long started)
      throws InterruptedException {
    long deadline = started + DEADLINE.toNanos();
    URI upload = null;
    long acked = 0;
    while (System.nanoTime() < deadline) {
      try {
        if (upload == null) {
          long t = System.nanoTime();
          HttpResponse<String> created = figures.record("POST", t, tusk.create(data.length));
          if (created.statusCode() == 201) {
            upload = tusk.location(created);
          } else {
            Thread.sleep(200);
          }
          continue;
        }
        long t = System.nanoTime();
        HttpResponse<String> head = figures.record("HEAD", t, tusk.head(upload));
        if (head.statusCode() != 200) {
          Thread.sleep(200);
          continue;
        }
        long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
        if (offset < acked) {
          figures.lost.addAndGet(acked - offset);
          figures.violations.add("HEAD says " + offset + " after " + acked + " was acknowledged");
          acked = offset;
        }
        if (offset == data.length) {
          return downloadsExact(tusk, upload, data, figures, deadline);
        }
        int end = (int) Math.min(data.length, offset + CHUNK);
        t = System.nanoTime();
        HttpResponse<String> patch = figures.record("PATCH", t, tusk.patch(upload, offset, data, (int) offset, end));
        if (patch.statusCode() == 204) {
          long now = Long.parseLong(patch.headers().firstValue("Upload-Offset").orElseThrow());
          figures.acknowledged.addAndGet(now - Math.max(acked, offset));
          acked = now;
        } else {
          Thread.sleep(200);
        }
      } catch (IOException e) {
        Thread.sleep(200); // the connection to tusk failed: as a client, retry
      }
    }
    return false;
  }

  private static boolean downloadsExact(
      S3Behind tusk, URI upload, byte[] data, Figures figures, long deadline)
      throws IOException, InterruptedException {
    while (System.nanoTime() < deadline) {
      long t = System.nanoTime();
      HttpResponse<byte[]> got = tusk.get(upload);
      figures.record("GET", t, got);
      if (got.statusCode() == 200) {
        if (!java.util.Arrays.equals(got.body(), data)) {
          figures.violations.add("GET of " + upload + " differs from what was uploaded");
          return false;
        }
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }
}
