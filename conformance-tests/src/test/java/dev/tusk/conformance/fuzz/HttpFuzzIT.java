package dev.tusk.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tusk.conformance.StoreKind;
import dev.tusk.conformance.fuzz.Probes.Probe;
import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadStore;
import dev.tusk.server.TuskServer;
import dev.tusk.server.auth.ApiKey;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.KeyHashes;
import dev.tusk.server.auth.Security;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.limits.Tier;
import dev.tusk.server.policy.Scopes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Attacks the real server over raw sockets with a seeded stream of requests ({@link Probes}):
 * valid tus requests mixed with mutated headers, mutated framing and concatenation and Range
 * abuse, without access control and with API keys. Whatever arrives, the server must answer
 * below 500, must answer every request that is complete HTTP/1.1, must log no ERROR and no stack
 * trace at WARN, and must afterwards be ready and store a normal upload byte for byte.
 *
 * <p>Each mode sends up to {@code -Dtusk.fuzz.requests} requests (default 2,600, so 5,200 per
 * store) from {@code -Dtusk.fuzz.clients} concurrent clients (default 4, each with its own seeded
 * sequence) within {@code -Dtusk.fuzz.seconds} (default 27; a slow store such as S3Proxy on a busy
 * machine reaches fewer). {@code -Dtusk.fuzz.seed=N} replays another sequence ({@code clients=1}
 * strictly in order); {@code -Dtusk.fuzz.declaredTypes=false} / {@code -Dtusk.fuzz.overflow=false}
 * switch off two request classes. A failure prints the seed, the request's number and its exact
 * bytes.
 */
class HttpFuzzIT {
  static final long SEED = Long.getLong("tusk.fuzz.seed", 20261206L);
  static final int REQUESTS = Integer.getInteger("tusk.fuzz.requests", 2_600);
  static final boolean DECLARED_TYPES = !"false".equals(System.getProperty("tusk.fuzz.declaredTypes"));
  static final boolean OVERFLOW = !"false".equals(System.getProperty("tusk.fuzz.overflow"));
  static final int CLIENTS = Integer.getInteger("tusk.fuzz.clients", 4);
  /** Fewer requests than this within the budget fail the run (a server that got slow). */
  static final int MINIMUM = Integer.getInteger("tusk.fuzz.minimum", 300);
  static final Duration BUDGET = Duration.ofSeconds(Long.getLong("tusk.fuzz.seconds", 27));
  static final String ALICE = "alice-fuzz-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final String BOB = "bob-fuzz-key-00112233445566778899aabbccddeeff";

  private Path scratch;
  private UploadStore store;
  private Security security;
  private TuskServer server;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureLog() throws Exception {
    scratch = Files.createTempDirectory("tusk-fuzz-");
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void stop() throws Exception {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(log);
    if (server != null) {
      server.close();
    }
    if (security != null) {
      security.close();
    }
    if (store instanceof AutoCloseable c) {
      c.close();
    }
    try (Stream<Path> paths = Files.walk(scratch)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @DisplayName("No access control: no 5xx, no dropped answer, no ERROR, and a healthy server after")
  void fuzz_withoutAccessControl() throws Exception {
    start(null);
    run("none", SEED, null, null);
  }

  @Test
  @DisplayName("API keys: no 5xx, no dropped answer, no ERROR, and a healthy server after")
  void fuzz_withApiKeys() throws Exception {
    start(AuthConfig.defaults().withKeys(List.of(
        new ApiKey(KeyHashes.sha256Hex(ALICE), "alice", Set.of(Scopes.UPLOAD, Scopes.DOWNLOAD), Limits.NONE, "default"),
        new ApiKey(KeyHashes.sha256Hex(BOB), "bob", Set.of(Scopes.UPLOAD, Scopes.DOWNLOAD), Limits.NONE, "default")))
        .withTiers(Map.of("default", new Tier(0, 0)))); // unlimited: rate limits would answer most requests
    run("keys", SEED + 1, "Bearer " + ALICE, "Bearer " + BOB);
  }

  private void start(AuthConfig auth) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    store = StoreKind.current().create(scratch, clock);
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
        .withUploadDir(scratch.resolve("uploads")).withReadTimeout(Duration.ofSeconds(5));
    if (auth == null) {
      server = TuskServer.builder(config).store(store).clock(clock).start();
    } else {
      security = Security.create(auth, config, store, clock);
      server = TuskServer.builder(config).store(store).clock(clock)
          .policy(security.policy()).filter(security.filter()).start();
    }
  }

  private void run(String mode, long seed, String auth, String other) throws Exception {
    Tally tally = new Tally();
    long started = System.nanoTime();
    long deadline = started + BUDGET.toNanos();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      long clientSeed = seed + 1_000L * c;
      int count = REQUESTS / CLIENTS + (c < REQUESTS % CLIENTS ? 1 : 0);
      Probes probes = new Probes(clientSeed, auth, other, DECLARED_TYPES, OVERFLOW);
      done.add(clients.submit(() -> drive(mode, clientSeed, probes, count, deadline, tally)));
    }
    clients.shutdown();
    for (Future<?> f : done) {
      f.get();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("HttpFuzzIT %s on %s: %d requests in %d ms by %d clients, seed %d, statuses %s,"
            + " closed without an answer %d, 4xx without a problem document %s, slowest kinds %s%n",
        mode, StoreKind.current(), tally.sent.get(), millis, CLIENTS, SEED, new TreeMap<>(tally.statuses),
        tally.closes.get(), new TreeMap<>(tally.bare), tally.slowest());
    List<String> logged = loggedFaults();
    String replay = String.format("replay: -Dit.test=HttpFuzzIT -Dtusk.fuzz.seed=%d -Dtusk.fuzz.requests=%d"
        + " -Dtusk.fuzz.clients=%d -Dtusk.fuzz.declaredTypes=%s -Dtusk.fuzz.overflow=%s (store %s)",
        SEED, REQUESTS, CLIENTS, DECLARED_TYPES, OVERFLOW, StoreKind.current());
    assertThat(tally.failures).as("requests that broke the server; %s", replay).isEmpty();
    assertThat(logged).as("ERROR lines or stack traces in the server log; %s", replay).isEmpty();
    assertThat(tally.sent.get()).as("requests sent within %s", BUDGET)
        .isGreaterThanOrEqualTo(Math.min(REQUESTS, MINIMUM));
    Afterwards.assertHealthy(server.port(), auth);
  }

  /** One client: its own connection and its own seeded sequence of probes. */
  private Void drive(String mode, long seed, Probes probes, int count, long deadline, Tally tally) throws Exception {
    Wire wire = null;
    try {
      for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
        Probe probe = probes.next();
        byte[] bytes = probe.req().render();
        if (wire == null || probe.halfClose()) {
          if (wire != null) {
            wire.close();
          }
          wire = new Wire(server.port(), 10_000);
        }
        long t0 = System.nanoTime();
        Wire.Outcome outcome = wire.exchange(bytes, probe.req().isHead(), probe.halfClose());
        tally.took(probe.kind(), System.nanoTime() - t0);
        tally.sent.incrementAndGet();
        String problem = null;
        if (outcome instanceof Wire.Reply reply) {
          tally.statuses.merge(reply.status(), 1, Integer::sum);
          probe.learn().accept(reply);
          String type = reply.header("Content-Type");
          if (reply.status() >= 400 && !probe.req().isHead() && (type == null || !type.startsWith("application/problem+json"))) {
            tally.bare.merge(probe.kind() + " " + reply.status(), 1, Integer::sum);
          }
          if (reply.status() >= 500) {
            problem = "answered " + reply.status() + ": " + new String(reply.body(), StandardCharsets.UTF_8);
          }
          if (probe.halfClose() || !reply.keepsConnection() || reply.status() >= 400) {
            wire.close();
            wire = null;
          }
        } else {
          tally.closes.incrementAndGet();
          if (outcome instanceof Wire.Silent) {
            problem = "no answer and no close within 10 s";
          } else if (probe.mustAnswer()) {
            problem = "connection closed without an answer (" + ((Wire.Closed) outcome).how() + ")";
          }
          wire.close();
          wire = null;
        }
        if (problem != null) {
          tally.fail(String.format("client seed %d, request #%d (%s, mode %s): %s%n%s",
              seed, i, probe.kind(), mode, problem, Req.show(bytes)));
        }
      }
    } finally {
      if (wire != null) {
        wire.close();
      }
    }
    return null;
  }

  /** What the clients of one run saw. Thread-safe. */
  private static final class Tally {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    final Map<String, Long> nanos = new ConcurrentHashMap<>();
    /** 4xx answers without a problem document, by probe kind and status. */
    final Map<String, Integer> bare = new ConcurrentHashMap<>();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    void took(String kind, long n) {
      nanos.merge(kind, n, Long::sum);
    }

    void fail(String failure) {
      if (failures.size() < 20) {
        failures.add(failure);
      }
    }

    String slowest() {
      return nanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
          .map(e -> e.getKey() + "=" + e.getValue() / 1_000_000 + "ms").toList().toString();
    }
  }

  /** ERROR events, and WARN events with a stack trace, of the server (not of S3Proxy's Jetty). */
  private List<String> loggedFaults() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(log.list)) {
      String logger = e.getLoggerName();
      if (logger.startsWith("org.eclipse.jetty") || logger.startsWith("org.gaul") || logger.startsWith("org.jclouds")) {
        continue;
      }
      boolean fault = e.getLevel().isGreaterOrEqual(Level.ERROR)
          || (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null);
      if (fault && out.size() < 20) {
        out.add(e.getLevel() + " " + logger + " " + e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage()));
      }
    }
    return out;
  }
}
