package dev.tusk.conformance.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.locker.redis.RedisLocker;
import dev.tusk.locker.redis.RedisServerProcess;
import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.store.s3.S3ProxyFixture;
import dev.tusk.store.s3.S3StoreConfig;
import dev.tusk.store.s3.S3UploadStore;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fleet in one JVM: {@code n} tusk servers over one S3 bucket prefix (S3Proxy) and one real
 * redis-server, behind a proxy that sends each request to the next node in turn, so consecutive
 * requests of one upload always land on different nodes. No sticky sessions.
 *
 * <p>A JUnit extension: {@code @RegisterExtension static final Fleet fleet = Fleet.of(3)} starts
 * it before the class's tests and stops it after them (a class disabled for the store starts
 * nothing). With the helpers every fleet test uses: one {@link #HTTP} client, {@link #bytes},
 * {@link #download} and {@link #onNode}.
 */
final class Fleet implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  static final int MIB = 1 << 20;
  /** The client of the fleet tests. */
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** How long a node's Redis lease on an upload's lock lasts without renewal. */
  private static final Duration LEASE = Duration.ofSeconds(2);

  private final int size;
  RedisServerProcess redis;
  final List<TuskServer> nodes = new ArrayList<>();
  final List<RedisLocker> lockers = new ArrayList<>();
  final List<S3UploadStore> stores = new ArrayList<>();
  AtomicInteger[] served;
  private Path scratch;
  private Undertow proxy;
  private int proxyPort;

  private Fleet(int size) {
    this.size = size;
  }

  /** A fleet of {@code n} nodes, started by JUnit. */
  static Fleet of(int n) {
    return new Fleet(n);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private void start() throws Exception {
    int n = size;
    Duration lease = LEASE;
    scratch = Files.createTempDirectory("tusk-fleet-");
    redis = RedisServerProcess.start();
    String prefix = "fleet-" + UUID.randomUUID() + "/";
    served = new AtomicInteger[n];
    HttpHandler[] routes = new HttpHandler[n];
    for (int i = 0; i < n; i++) {
      Path temp = Files.createDirectories(scratch.resolve("node" + i));
      S3StoreConfig config =
          S3ProxyFixture.shared().config(temp).toBuilder().keyPrefix(prefix).offsetCache(false).build();
      S3UploadStore store = S3UploadStore.create(config, Clock.systemUTC());
      RedisLocker locker = RedisLocker.create(redis.url(), lease);
      TuskServer node =
          TuskServer.builder(
                  ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withLockWait(Duration.ofSeconds(5)))
              .store(store).locker(locker).start();
      stores.add(store);
      lockers.add(locker);
      nodes.add(node);
      served[i] = new AtomicInteger();
      routes[i] =
          ProxyHandler.builder()
              .setProxyClient(new LoadBalancingProxyClient().addHost(URI.create("http://127.0.0.1:" + node.port())))
              .setMaxRequestTime(120_000)
              .build();
    }
    AtomicInteger next = new AtomicInteger();
    proxy =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(
                exchange -> {
                  int i = Math.floorMod(next.getAndIncrement(), routes.length);
                  served[i].incrementAndGet();
                  routes[i].handleRequest(exchange);
                })
            .build();
    proxy.start();
    proxyPort = ((InetSocketAddress) proxy.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** The tus endpoint behind the round-robin proxy. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxyPort + "/files/");
  }

  /** The tus endpoint of one node, bypassing the proxy. */
  URI node(int i) {
    return nodes.get(i).baseUri();
  }

  /** The URL of {@code upload} on node {@code i}. */
  URI onNode(URI upload, int i) {
    return node(i).resolve(upload.getPath().substring("/files/".length()));
  }

  /** {@code n} random bytes, the same for the same seed. */
  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The content of {@code upload} (a GET that must answer 200). */
  static byte[] download(URI upload) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(
        HttpRequest.newBuilder(upload).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("GET %s", upload).isEqualTo(200);
    return r.body();
  }

  @Override
  public void close() {
    proxy.stop();
    nodes.forEach(TuskServer::close);
    lockers.forEach(RedisLocker::close);
    for (S3UploadStore store : stores) {
      try {
        store.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    redis.close();
    try (Stream<Path> files = Files.walk(scratch)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; best effort
    }
  }
}
