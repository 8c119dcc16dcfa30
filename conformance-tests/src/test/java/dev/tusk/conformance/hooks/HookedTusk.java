package dev.tusk.conformance.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.ServerExtension;
import dev.tusk.conformance.StoreKind;
import dev.tusk.core.MutableClock;
import dev.tusk.server.TuskServer;
import dev.tusk.server.TuskServerBuilder;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.Security;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.hooks.HookPolicy;
import dev.tusk.server.hooks.Hooks;
import dev.tusk.server.hooks.HooksConfig;
import dev.tusk.server.hooks.ReceiverConfig;
import dev.tusk.server.policy.UploadPolicies;
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
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real server with hooks on a free port of 127.0.0.1, over the filesystem store, with a clock
 * the test moves: {@code TuskServer.builder(config).store(store).clock(clock).policy(Hooks.create(...))}. Tests
 * talk to it only over HTTP (and read the hook meters).
 *
 * <p>As a JUnit extension ({@link ServerExtension}) it starts a {@link TestReceiver} first and the
 * server with that receiver's URL: {@code @RegisterExtension static final HookedTusk tusk =
 * HookedTusk.withReceiver(c -> c)} serves the whole class, an instance field one server per test;
 * {@link #receiver()} is the receiver. {@link #withAuth} adds access control in front (API keys),
 * as {@code tusk serve} combines the two. {@link #start} gives a started one to close, for a test
 * that builds its own receivers.
 */
final class HookedTusk extends ServerExtension {
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private final Function<TestReceiver.Hook, TestReceiver.Reply> answer; // null: no receiver of ours
  private final UnaryOperator<HooksConfig> customize;
  private final AuthConfig auth; // null: no access control
  private Path scratch;
  private MutableClock clock;
  private SimpleMeterRegistry registry;
  private TestReceiver receiver;
  private HookPolicy hooks;
  private Security security;
  private TuskServer server;

  private HookedTusk(
      Function<TestReceiver.Hook, TestReceiver.Reply> answer, UnaryOperator<HooksConfig> customize,
      AuthConfig auth) {
    this.answer = answer;
    this.customize = customize;
    this.auth = auth;
  }

  @Override
  protected void open() throws Exception {
    onFsRunOnly();
    scratch = Files.createTempDirectory("tusk-hooks-");
    clock = new MutableClock(START);
    registry = new SimpleMeterRegistry();
    UnaryOperator<HooksConfig> receivers = c -> c;
    if (answer != null) {
      receiver = new TestReceiver().answer(answer);
      receivers = c -> c.withReceivers(List.of(http(receiver.url())));
    }
    FsUploadStore store = new FsUploadStore(scratch.resolve("uploads"), clock);
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
        .withUploadDir(scratch.resolve("uploads"));
    hooks = Hooks.create(
        customize.apply(receivers.apply(fast(scratch.resolve("outbox")))), store, clock, registry);
    TuskServerBuilder builder = TuskServer.builder(config).store(store).clock(clock);
    if (auth == null) {
      builder.policy(hooks);
    } else {
      security = Security.create(auth, config, store, clock);
      builder.policy(UploadPolicies.of(List.of(security.policy(), hooks))).filter(security.filter());
    }
    server = builder.start();
  }

  @Override
  protected boolean isOpen() {
    return server != null;
  }

  /**
   * An extension whose hooks go to a {@link TestReceiver} of its own, answering every hook with
   * 200 and an empty object; {@code customize} adjusts the hooks' configuration on top.
   */
  static HookedTusk withReceiver(UnaryOperator<HooksConfig> customize) {
    return new HookedTusk(h -> TestReceiver.Reply.OK, customize, null);
  }

  /** As {@link #withReceiver(UnaryOperator)}, the receiver answering each hook with {@code answer}. */
  static HookedTusk withReceiver(
      Function<TestReceiver.Hook, TestReceiver.Reply> answer, UnaryOperator<HooksConfig> customize) {
    return new HookedTusk(answer, customize, null);
  }

  /** This extension with access control configured by {@code auth} in front of the hooks. */
  HookedTusk withAuth(AuthConfig auth) {
    return new HookedTusk(answer, customize, auth);
  }

  /** The receiver the hooks go to; null for a fixture started with receivers of the test's own. */
  TestReceiver receiver() {
    return receiver;
  }

  private static ReceiverConfig http(String url) {
    return ReceiverConfig.http(url).withTimeout(Duration.ofSeconds(5));
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

  /** A started server whose hooks {@code customize} configures (receivers included); to close. */
  static HookedTusk start(UnaryOperator<HooksConfig> customize) throws Exception {
    HookedTusk tusk = new HookedTusk(null, customize, null);
    tusk.open();
    return tusk;
  }

  /** One HTTP receiver at {@code url} with a short timeout, and {@code customize} on top. */
  static HookedTusk start(String url, UnaryOperator<HooksConfig> customize) throws Exception {
    return start(c -> customize.apply(c.withReceivers(List.of(http(url)))));
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

  /** A tus request with {@code Authorization: Bearer key}. */
  RequestSpecification tus(String key) {
    return tus().header("Authorization", "Bearer " + key);
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
    if (server == null) {
      return;
    }
    server.close();
    server = null;
    hooks.close();
    if (security != null) {
      security.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    try (Stream<Path> paths = Files.walk(scratch)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
