package dev.tusk.conformance;

import static io.restassured.RestAssured.given;

import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadStore;
import dev.tusk.server.ServerConfig;
import dev.tusk.server.TuskServer;
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
 * The real server on a free port of 127.0.0.1 over the store of {@link StoreKind#current()}, with
 * a clock the test moves. Tests talk to it only over HTTP.
 */
public final class TuskFixture implements AutoCloseable {
  /** Where every fixture's clock starts. */
  public static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  private final Path scratch;
  private final MutableClock clock;
  private final UploadStore store;
  private final TuskServer server;

  private TuskFixture(UnaryOperator<ServerConfig> customize) throws Exception {
    this.scratch = Files.createTempDirectory("tusk-conformance-");
    this.clock = new MutableClock(START);
    this.store = StoreKind.current().create(scratch, clock);
    ServerConfig config =
        customize.apply(
            ServerConfig.defaults()
                .withHost("127.0.0.1")
                .withPort(0)
                .withUploadDir(scratch.resolve("uploads")));
    this.server = TuskServer.builder(config).store(store).clock(clock).start();
  }

  /** A server with the default configuration. */
  public static TuskFixture start() throws Exception {
    return new TuskFixture(c -> c);
  }

  /** A server whose configuration {@code customize} adjusts (port and host are set already). */
  public static TuskFixture start(UnaryOperator<ServerConfig> customize) throws Exception {
    return new TuskFixture(customize);
  }

  public MutableClock clock() {
    return clock;
  }

  public TuskServer server() {
    return server;
  }

  public UploadStore store() {
    return store;
  }

  /** {@code http://127.0.0.1:<port>/files/} */
  public URI baseUri() {
    return server.baseUri();
  }

  /** A REST Assured request to this server, without {@code Tus-Resumable}. */
  public RequestSpecification http() {
    return given().baseUri("http://127.0.0.1:" + server.port()).urlEncodingEnabled(false);
  }

  /** A REST Assured request to this server with {@code Tus-Resumable: 1.0.0}. */
  public RequestSpecification tus() {
    return http().header("Tus-Resumable", "1.0.0");
  }

  @Override
  public void close() throws IOException {
    server.close();
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
