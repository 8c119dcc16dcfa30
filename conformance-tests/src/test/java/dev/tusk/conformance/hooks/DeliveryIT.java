package dev.tusk.conformance.hooks;

import static dev.tusk.conformance.hooks.TestReceiver.type;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.hooks.TestReceiver.Hook;
import dev.tusk.conformance.hooks.TestReceiver.Reply;
import dev.tusk.server.hooks.HookType;
import io.restassured.response.Response;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Notifications survive a receiver that is down; blocking hooks fail open or closed. */
class DeliveryIT {
  TestReceiver receiver;
  HookedTusk tusk;
  Socket refusing;

  @BeforeEach
  void start() throws Exception {
    HookedTusk.onFsRunOnly();
    receiver = new TestReceiver();
  }

  @AfterEach
  void stop() throws Exception {
    if (tusk != null) {
      tusk.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (refusing != null) {
      refusing.close();
    }
  }

  /**
   * A port that refuses connections for the whole test: bound, never listening. A port closed
   * again before use could be handed to the server under test, or become the local port of the
   * hook's own connection (a TCP self-connect that "succeeds"); a held binding rules out both.
   */
  private int refusingPort() throws Exception {
    refusing = new Socket();
    refusing.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return refusing.getLocalPort();
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  @DisplayName("post-finish to a receiver that is down is retried with one idempotency key and delivered once it is back")
  void receiverDown_retriedThenDelivered() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    receiver.answer(h -> h.type().equals("post-finish") && failures.getAndIncrement() < 2
        ? new Reply(503, "{}") : Reply.OK);
    tusk = HookedTusk.start(receiver.url(), c -> c);
    String id = HookedTusk.id(tusk.upload("hello".getBytes(StandardCharsets.US_ASCII)));

    receiver.awaitAll(type("post-finish"), 2);
    receiver.down();
    double refusedBefore = failed("post-finish");
    await(() -> failed("post-finish") >= refusedBefore + 2);
    assertThat(tusk.hooks().outboxDepth(HookType.POST_FINISH)).isEqualTo(1);
    receiver.up();

    Hook delivered = receiver.await(type("post-finish").and(h -> h.answeredStatus() == 200));
    List<Hook> all = receiver.hooks("post-finish");
    assertThat(all).allSatisfy(h -> assertThat(h.uploadId()).isEqualTo(id));
    assertThat(all.stream().map(Hook::idempotencyKey).collect(Collectors.toSet()))
        .containsExactly(delivered.idempotencyKey());
    await(() -> tusk.hooks().outboxDepth(HookType.POST_FINISH) == 0);
    assertThat(tusk.registry().get("tusk.hook.deliveries").tag("type", "post-finish")
        .tag("result", "delivered").counter().count()).isEqualTo(1);
    assertThat(tusk.registry().get("tusk.hook.outbox.depth").tag("type", "post-finish").gauge().value())
        .isZero();
  }

  private double failed(String type) {
    return tusk.registry().find("tusk.hook.calls").tag("type", type).tag("outcome", "failed").timers()
        .stream().mapToLong(t -> t.count()).sum();
  }

  @Test
  @DisplayName("pre-create to an unreachable receiver: retried, then 503 ERR_HOOK_UNAVAILABLE when failing closed")
  void unreachable_failsClosed() throws Exception {
    tusk = HookedTusk.start("http://127.0.0.1:" + refusingPort() + "/hooks", c -> c);
    Response r = tusk.tus().header("Upload-Length", 3).post("/files/");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_HOOK_UNAVAILABLE");
    assertThat(tusk.registry().get("tusk.hook.calls").tag("type", "pre-create").tag("outcome", "failed")
        .timer().count()).as("one attempt and two retries").isEqualTo(3);
  }

  @Test
  @DisplayName("pre-create to an unreachable receiver: the upload is created when failing open")
  void unreachable_failsOpen() throws Exception {
    tusk = HookedTusk.start("http://127.0.0.1:" + refusingPort() + "/hooks",
        c -> c.withFailOpen(true).withEnabled(Set.of(HookType.PRE_CREATE)));
    assertThat(tusk.create(3)).startsWith("/files/");
  }
}
