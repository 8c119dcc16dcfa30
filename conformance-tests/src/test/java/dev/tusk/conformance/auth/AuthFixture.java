package dev.tusk.conformance.auth;

import static io.restassured.RestAssured.given;

import dev.tusk.conformance.ServerExtension;
import dev.tusk.conformance.StoreKind;
import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadStore;
import dev.tusk.server.TuskServer;
import dev.tusk.server.auth.ApiKey;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.KeyHashes;
import dev.tusk.server.auth.Security;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Scopes;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The real server with access control on a free port of 127.0.0.1, over the store of {@link
 * StoreKind#current()}, with a clock the test moves: {@code TuskServer.builder(config).store(store)
 * .clock(clock).policy(security.policy()).filter(security.filter())}. Tests talk to it only over
 * HTTP.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension static final AuthFixture tusk =
 * AuthFixture.extension(AuthFixture.keysWithLinks())}) it starts and stops itself, a {@code static}
 * field for the whole class, an instance field per test, like {@code TuskFixture}; {@link
 * #start} gives a started one to close.
 */
final class AuthFixture extends ServerExtension {
  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final String ALICE = "alice-key-4f1c2a9d7b3e8f60a5c1d2e3f4a5b6c7";
  static final String BOB = "bob-key-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";
  static final String ADMIN = "admin-key-00112233445566778899aabbccddeeff";
  static final String WRITER = "writer-key-aabbccddeeff00112233445566778899";
  static final String READER = "reader-key-ffeeddccbbaa99887766554433221100";
  static final String LINK_KEY = "link-key-0123456789abcdef0123456789abcdef";

  /** Alice and Bob (upload + download), an admin, an upload-only and a download-only key. */
  static final List<ApiKey> KEYS =
      List.of(
          key(ALICE, "alice", Scopes.UPLOAD, Scopes.DOWNLOAD),
          key(BOB, "bob", Scopes.UPLOAD, Scopes.DOWNLOAD),
          key(ADMIN, "ops", Scopes.ADMIN),
          key(WRITER, "writer", Scopes.UPLOAD),
          key(READER, "reader", Scopes.DOWNLOAD));

  private Path scratch;
  private final boolean ownsScratch;
  private final MutableClock clock;
  private final AuthConfig auth;
  private final UnaryOperator<ServerConfig> customize;
  private ServerConfig config;
  private UploadStore store;
  private Security security;
  private TuskServer server;
  private boolean closed;

  private AuthFixture(AuthConfig auth, UnaryOperator<ServerConfig> customize) {
    this(auth, customize, null, new MutableClock(START));
  }

  /** {@code scratch} null: a fresh directory of this fixture's own, made when it starts. */
  private AuthFixture(
      AuthConfig auth, UnaryOperator<ServerConfig> customize, Path scratch, MutableClock clock) {
    this.scratch = scratch;
    this.ownsScratch = scratch == null;
    this.clock = clock;
    this.auth = auth;
    this.customize = customize;
  }

  /**
   * A second server (its own store instance, security and port, the same clock) on this one's
   * data, running beside it as another instance of a fleet would; close it before this one.
   */
  AuthFixture sibling() throws Exception {
    AuthFixture sibling = new AuthFixture(auth, c -> config, scratch, clock);
    sibling.open();
    return sibling;
  }

  private void stopServer() throws IOException {
    server.close();
    security.close();
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  @Override
  protected void open() throws Exception {
    if (scratch == null) {
      scratch = Files.createTempDirectory("tusk-auth-");
    }
    if (config == null) {
      config =
          customize.apply(
              ServerConfig.defaults()
                  .withHost("127.0.0.1")
                  .withPort(0)
                  .withUploadDir(scratch.resolve("uploads")));
    }
    this.store = StoreKind.current().create(scratch, clock);
    this.security = Security.create(auth, config, store, clock);
    this.server = TuskServer.builder(config).store(store).clock(clock)
        .policy(security.policy()).filter(security.filter()).start();
  }

  /**
   * Stops the server and starts a new one (new store instance, new port) on the same data, as a
   * restarted process would: nothing held in memory survives.
   */
  void restart() throws Exception {
    stopServer();
    open();
  }

  static AuthFixture start(AuthConfig auth) throws Exception {
    return start(auth, c -> c);
  }

  static AuthFixture start(AuthConfig auth, UnaryOperator<ServerConfig> customize) throws Exception {
    AuthFixture fixture = new AuthFixture(auth, customize);
    fixture.open();
    return fixture;
  }

  /** An extension with {@code auth}; started by JUnit. */
  static AuthFixture extension(AuthConfig auth) {
    return new AuthFixture(auth, c -> c);
  }

  /** An extension with {@code auth} and the configuration {@code customize} adjusts. */
  static AuthFixture extension(AuthConfig auth, UnaryOperator<ServerConfig> customize) {
    return new AuthFixture(auth, customize);
  }

  @Override
  protected boolean isOpen() {
    return server != null;
  }

  /** Mode keys with {@link #KEYS} and links signed with {@link #LINK_KEY}. */
  static AuthConfig keysWithLinks() {
    return AuthConfig.defaults()
        .withKeys(KEYS)
        .withLinks(dev.tusk.server.links.LinkConfig.withKey(LINK_KEY));
  }

  static ApiKey key(String key, String owner, String... scopes) {
    return new ApiKey(KeyHashes.sha256Hex(key), owner, Set.of(scopes), Limits.NONE, "default");
  }

  MutableClock clock() {
    return clock;
  }

  UploadStore store() {
    return store;
  }

  Security security() {
    return security;
  }

  /** Runs one expiry sweep now; returns how many uploads it deleted. */
  int sweep() throws IOException {
    return server.sweepExpired();
  }

  int port() {
    return server.port();
  }

  URI baseUri() {
    return server.baseUri();
  }

  /** A REST Assured request without credentials or {@code Tus-Resumable}. */
  RequestSpecification http() {
    return given().baseUri("http://127.0.0.1:" + server.port()).urlEncodingEnabled(false);
  }

  /** A tus request ({@code Tus-Resumable: 1.0.0}) with {@code key} as bearer credential. */
  RequestSpecification tus(String key) {
    return http().header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + key);
  }

  /** A tus request without credentials. */
  RequestSpecification anonymousTus() {
    return http().header("Tus-Resumable", "1.0.0");
  }

  /** Creates an upload of {@code body.length} bytes as {@code key} and sends it; returns its path. */
  String upload(String key, byte[] body) {
    Response r =
        tus(key)
            .header("Upload-Length", body.length)
            .contentType("application/offset+octet-stream")
            .body(body)
            .post("/files/");
    if (r.statusCode() != 201) {
      throw new AssertionError("creation failed: " + r.statusCode() + " " + r.asString());
    }
    return URI.create(r.header("Location")).getPath();
  }

  /** Stops the server and, unless this is a sibling, deletes the data. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      stopServer();
      server = null;
    }
    if (!ownsScratch || scratch == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(scratch)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
