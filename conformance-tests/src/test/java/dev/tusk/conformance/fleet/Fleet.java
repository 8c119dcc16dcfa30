package dev.tusk.conformance.fleet;

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
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet in one JVM: {@code n} tusk servers over one S3 bucket prefix (S3Proxy) and one real
 * redis-server, behind a proxy that sends each request to the next node in turn, so consecutive
 * requests of one upload always land on different nodes. No sticky sessions.
 */
final class Fleet implements AutoCloseable {
  final RedisServerProcess redis;
  final List<TuskServer> nodes = new ArrayList<>();
  final List<RedisLocker> lockers = new ArrayList<>();
  final List<S3UploadStore> stores = new ArrayList<>();
  final AtomicInteger[] served;
  private final Undertow proxy;
  private final int proxyPort;

  Fleet(int n, Path scratch, Duration lease) throws Exception {
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
  }
}
