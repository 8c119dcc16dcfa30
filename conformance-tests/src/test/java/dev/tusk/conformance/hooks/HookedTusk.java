package dev.tusk.conformance.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.StoreKind;
import dev.tusk.core.MutableClock;
import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.hooks.HookPolicy;
import dev.tusk.server.hooks.Hooks;
import dev.tusk.server.hooks.HooksConfig;
import dev.tusk.server.hooks.ReceiverConfig;
import dev.tusk.store.fs.FsUploadStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real server with hooks on a free port of 127.0.0.1, over the filesystem store, with a clock
 * the test moves: {@code TuskServer.builder(config).store(store).clock(clock).policy(Hooks.create(...))}. Tests
 * talk to it only over HTTP (and read the hook meters).
 */
final class HookedTusk implements AutoCloseable {
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private final Path scratch;
  private final MutableClock clock = new MutableClock(START);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HookPolicy hooks;
  private final TuskServer server;

  private HookedTusk(UnaryOperator<HooksConfig> customize) throws Exception {
    onFsRunOnly();
    this.scratch = Files.createTempDirectory("tusk-hooks-");
    FsUploadStore store = new FsUploadStore(scratch.resolve("uploads"), clock);
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
        .withUploadDir(scratch.resolve("uploads"));
    this.hooks = Hooks.create(customize.apply(fast(scratch.resolve("outbox"))), store, clock, registry);
    this.server = TuskServer.builder(config).store(store).clock(clock).policy(hooks).start();
  }

  /**
   * Hook tests build their own filesystem store, so they run in the fs execution only (the s3 one
   * would repeat them unchanged).
   */
  static void onFsRunOnly() {
    Assumptions.assumeTrue(StoreKind.current() == StoreKind.FS, "hook tests run in the fs execution");
  }

  /** Defaults with test-sized delays: quick retries and backoff, every post-receive sent. */
  static HooksConfig fast(Path outbox) {
    return HooksConfig.defaults()
        .withOutboxDir(outbox)
        .withFsync(false)
        .withRetries(2, Duration.ofMillis(20))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .withProgressInterval(Duration.ZERO);
  }

  static HookedTusk start(UnaryOperator<HooksConfig> customize) throws Exception {
    return new HookedTusk(customize);
  }

  /** One HTTP receiver at {@code url} with a short timeout, and {@code customize} on top. */
  static HookedTusk start(String url, UnaryOperator<HooksConfig> customize) throws Exception {
    return new HookedTusk(c -> customize.apply(
        c.withReceivers(List.of(ReceiverConfig.http(url).withTimeout(Duration.ofSeconds(5))))));
  }

  MutableClock clock() {
    return clock;
  }

  /** Runs one expiry sweep now; returns how many uploads it deleted. */
  int sweep() throws java.io.IOException {
    return server.sweepExpired();
  }

  HookPolicy hooks() {
    return hooks;
  }

  SimpleMeterRegistry registry() {
    return registry;
  }

  Path scratch() {
    return scratch;
  }

  RequestSpecification tus() {
    return given().baseUri("http://127.0.0.1:" + server.port()).urlEncodingEnabled(false)
        .header("Tus-Resumable", "1.0.0");
  }

  /** Creates an upload of {@code length} bytes; asserts 201 and returns its path. */
  String create(long length) {
    Response r = tus().header("Upload-Length", length).post("/files/");
    assertThat(r.statusCode()).as("creation: %s", r.asString()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  Response patch(String path, long offset, byte[] body) {
    return tus().contentType("application/offset+octet-stream").header("Upload-Offset", offset)
        .body(body).patch(path);
  }

  /** Creates an upload and sends all of {@code body} in one PATCH; returns its path. */
  String upload(byte[] body) {
    String path = create(body.length);
    Response r = patch(path, 0, body);
    assertThat(r.statusCode()).as("PATCH: %s", r.asString()).isEqualTo(204);
    return path;
  }

  static String id(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    hooks.close();
    try (Stream<Path> paths = Files.walk(scratch)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
