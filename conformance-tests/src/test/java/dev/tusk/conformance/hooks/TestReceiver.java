package dev.tusk.conformance.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A hook receiver in the test JVM (the JDK's HTTP server on 127.0.0.1): records every hook request
 * and answers with what {@link #answer} says (default: 200 with {@code {}}). It can be stopped and
 * started again on the same port to play a receiver that is down. Thread-safe.
 */
final class TestReceiver implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One hook request as received. */
  record Hook(String type, String hookName, String idempotencyKey, String contentType, JsonNode body,
      int answeredStatus) {
    JsonNode upload() {
      return body.path("Event").path("Upload");
    }

    JsonNode request() {
      return body.path("Event").path("HTTPRequest");
    }

    String uploadId() {
      return upload().path("ID").asText();
    }
  }

  /** An answer: a status and a JSON body. */
  record Reply(int status, String body) {
    static final Reply OK = new Reply(200, "{}");

    static Reply json(String body) {
      return new Reply(200, body);
    }
  }

  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private volatile Function<Hook, Reply> answer = h -> Reply.OK;
  private volatile HttpServer server;
  private final int port;

  TestReceiver() throws IOException {
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  private HttpServer bind(int p) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 50);
    s.createContext("/hooks", this::handle);
    s.setExecutor(executor);
    s.start();
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hooks";
  }

  /** How to answer from now on. */
  TestReceiver answer(Function<Hook, Reply> how) {
    this.answer = how;
    return this;
  }

  /** Closes the port: connections are refused until {@link #up()}. */
  void down() {
    server.stop(0);
  }

  void up() throws IOException {
    server = bind(port);
  }

  List<Hook> hooks() {
    return List.copyOf(hooks);
  }

  List<Hook> hooks(String type) {
    return hooks.stream().filter(h -> h.type().equals(type)).toList();
  }

  /** Waits (bounded polling) until some received hook matches; returns it. */
  Hook await(Predicate<Hook> matching) throws InterruptedException {
    return awaitAll(matching, 1).get(0);
  }

  /** Waits (bounded polling, 15 s) until {@code n} received hooks match; returns them. */
  List<Hook> awaitAll(Predicate<Hook> matching, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      List<Hook> found = hooks.stream().filter(matching).toList();
      if (found.size() >= n) {
        return found;
      }
      assertThat(System.nanoTime())
          .as("%d matching hooks within 15 s; received %s", n, hooks.stream().map(Hook::type).toList())
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  static Predicate<Hook> type(String type) {
    return h -> h.type().equals(type);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      Hook probe = new Hook(body.path("Type").asText(), exchange.getRequestHeaders().getFirst("Hook-Name"),
          exchange.getRequestHeaders().getFirst("Idempotency-Key"),
          exchange.getRequestHeaders().getFirst("Content-Type"), body, 0);
      Reply reply = answer.apply(probe);
      hooks.add(new Hook(probe.type(), probe.hookName(), probe.idempotencyKey(), probe.contentType(), body,
          reply.status()));
      byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
