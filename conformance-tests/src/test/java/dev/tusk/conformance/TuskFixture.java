package dev.tusk.conformance;

import static io.restassured.RestAssured.given;

import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadStore;
import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The real server on a free port of 127.0.0.1 over the store of {@link StoreKind#current()} (so a
 * test using it runs once per store), with a clock the test moves, in a private scratch directory.
 * Tests talk to it only over HTTP.
 *
 * <p>As a JUnit extension it starts and stops itself: declared as {@code @RegisterExtension static
 * final TuskFixture tusk = TuskFixture.extension(c -> c.withMaxSize(MAX))} it serves every test of
 * the class, as an instance field one server per test. Inside one test, {@link #start()} gives a
 * started one to close (try-with-resources). Not thread-safe; one server per instance at a time.
 */
public final class TuskFixture extends ServerExtension {
  /** Where every fixture's clock starts. */
  public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private final UnaryOperator<ServerConfig> customize;
  private final UnaryOperator<UploadStore> view;
  private Path scratch;
  private MutableClock clock;
  private UploadStore store;
  private TuskServer server;

  private TuskFixture(UnaryOperator<ServerConfig> customize, UnaryOperator<UploadStore> view) {
    this.customize = customize;
    this.view = view;
  }

  /** An extension serving the default configuration; started by JUnit. */
  public static TuskFixture extension() {
    return new TuskFixture(c -> c, s -> s);
  }

  /** An extension whose configuration {@code customize} adjusts (port and host are set already). */
  public static TuskFixture extension(UnaryOperator<ServerConfig> customize) {
    return new TuskFixture(customize, s -> s);
  }

  /** A started server with the default configuration. */
  public static TuskFixture start() throws Exception {
    return start(c -> c);
  }

  /** A started server whose configuration {@code customize} adjusts (port and host are set already). */
  public static TuskFixture start(UnaryOperator<ServerConfig> customize) throws Exception {
    TuskFixture fixture = new TuskFixture(customize, s -> s);
    fixture.open();
    return fixture;
  }

  @Override
  protected void open() throws Exception {
    scratch = Files.createTempDirectory("tusk-conformance-");
    clock = new MutableClock(START);
    store = StoreKind.current().create(scratch, clock);
    ServerConfig config =
        customize.apply(
            ServerConfig.defaults()
                .withHost("127.0.0.1")
                .withPort(0)
                .withUploadDir(scratch.resolve("uploads")));
    server = TuskServer.builder(config).store(view.apply(store)).clock(clock).start();
  }

  /**
   * A started server with the default configuration over {@code view} of the store (a store that
   * hides some of its capabilities); {@link #store()} stays the store itself.
   */
  public static TuskFixture startOver(UnaryOperator<UploadStore> view) throws Exception {
    TuskFixture fixture = new TuskFixture(c -> c, view);
    fixture.open();
    return fixture;
  }

  @Override
  protected boolean isOpen() {
    return server != null;
  }

  public MutableClock clock() {
    return started().clock;
  }

  public TuskServer server() {
    return started().server;
  }

  public UploadStore store() {
    return started().store;
  }

  /** {@code http://127.0.0.1:<port>/files/} */
  public URI baseUri() {
    return server().baseUri();
  }

  /** A REST Assured request to this server, without {@code Tus-Resumable}. */
  public RequestSpecification http() {
    return given().baseUri("http://127.0.0.1:" + server().port()).urlEncodingEnabled(false);
  }

  /** A REST Assured request to this server with {@code Tus-Resumable: 1.0.0}. */
  public RequestSpecification tus() {
    return http().header("Tus-Resumable", "1.0.0");
  }

  private TuskFixture started() {
    if (server == null) {
      throw new IllegalStateException("the server is not running: register the fixture with"
          + " @RegisterExtension, or use TuskFixture.start()");
    }
    return this;
  }

  /** Stops the server, closes the store and deletes the scratch directory. Idempotent. */
  @Override
  public void close() throws IOException {
    if (server == null) {
      return;
    }
    TuskServer stopping = server;
    server = null;
    stopping.close();
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    try (Stream<Path> paths = Files.walk(scratch)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
