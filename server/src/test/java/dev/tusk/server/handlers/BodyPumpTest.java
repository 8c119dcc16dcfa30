package dev.tusk.server.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.AppendSession;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.protocol.Checksum;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The states of {@link BodyPump}, each entered through a real Undertow exchange on loopback with a
 * raw socket as the client and an in-memory {@link AppendSession}: reading, waiting for bytes
 * (no thread held), paused in a store write, store failed, client gone, stop requested (by a
 * newcomer or the shutdown), the size limit, the policy's stop, and completion with and without a
 * checksum. Every ending is checked for what the invariants need: the bytes stored, committed or
 * rolled back, the lock released (settled) once and before the outcome, the outcome called once.
 */
class BodyPumpTest {
  private static final int BUFFER = 4096;
  private static final long WAIT_MS = 5_000;

  private Undertow server;
  private int port;
  private final CountingExecutor storage = new CountingExecutor();
  private final BufferPool pool = new BufferPool(BUFFER, 4, 4);
  private final FakeSession session = new FakeSession();
  private final AtomicInteger settled = new AtomicInteger();
  private final CompletableFuture<BodyPump> pump = new CompletableFuture<>();
  private final CompletableFuture<HttpServerExchange> exchange = new CompletableFuture<>();
  private final CompletableFuture<Ending> ending = new CompletableFuture<>();
  private final AtomicInteger outcomes = new AtomicInteger();

  // what the next pump is made with
  private long allowed = Long.MAX_VALUE;
  private Optional<Checksum> checksum = Optional.empty();
  private LongPredicate stopAt = offset -> false;

  /** How the pump ended: the outcome called, its error and upload, and what was true then. */
  record Ending(Throwable error, UploadInfo info, int settledBefore, boolean runningDuring) {
    ErrorCode code() {
      return ((TusException) error).code();
    }
  }

  @BeforeEach
  void start() {
    server =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setIoThreads(1)
            .setHandler(this::handle)
            .build();
    server.start();
    port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  @AfterEach
  void stop() {
    server.stop();
    storage.pool.shutdownNow();
  }

  private void handle(HttpServerExchange exchange) {
    BodyPump p =
        new BodyPump(
            exchange, storage, pool, session, allowed, checksum, false, settled::incrementAndGet,
            stopAt, outcome(exchange));
    pump.complete(p);
    this.exchange.complete(exchange);
    exchange.dispatch(SameThreadExecutor.INSTANCE, p::start);
  }

  private BodyPump.Outcome outcome(HttpServerExchange exchange) {
    return new BodyPump.Outcome() {
      @Override
      public void completed(UploadInfo info) {
        record(null, info);
        exchange.setStatusCode(204);
        Exchanges.end(exchange);
      }

      @Override
      public void failed(Throwable error, UploadInfo infoAfter) {
        record(error, infoAfter);
        PatchOutcome.fail(exchange, error);
      }

      private void record(Throwable error, UploadInfo info) {
        outcomes.incrementAndGet();
        ending.complete(new Ending(error, info, settled.get(), pump.join().isRunning()));
      }
    };
  }

  @Test
  void wholeBody_isWrittenCommittedAndCompleted() throws Exception {
    byte[] body = bytes(3 * BUFFER + 17);
    try (Client client = new Client(body.length)) {
      client.send(body);
      Ending end = ended();
      assertThat(end.error()).isNull();
      assertThat(end.info().offset()).isEqualTo(body.length);
      assertThat(session.stored()).isEqualTo(body);
      assertThat(session.commits.get()).isEqualTo(1);
      assertThat(session.rollbacks.get()).isZero();
      assertSettledOnceBeforeOutcome(end);
      assertThat(client.status()).isEqualTo(204);
    }
  }

  @Test
  void silentClient_holdsNoThreadNorBuffer_andResumesWhenBytesArrive() throws Exception {
    byte[] body = bytes(2_000);
    try (Client client = new Client(body.length)) {
      client.send(body, 0, 700);
      await(() -> session.size() == 700 && storage.active.get() == 0);
      assertThat(pump.join().isRunning()).isTrue(); // waiting, not ended
      assertThat(session.idles.get()).isPositive(); // a short chunk lets go of the open file
      assertThat(ending).isNotDone();
      client.send(body, 700, body.length - 700);
      Ending end = ended();
      assertThat(end.error()).isNull();
      assertThat(session.stored()).isEqualTo(body);
      assertSettledOnceBeforeOutcome(end);
    }
  }

  @Test
  void stopRequestedDuringStoreWrite_endsAfterThatWrite_keepingItsBytes() throws Exception {
    session.blockNextWrite();
    try (Client client = new Client(10_000)) {
      client.send(bytes(1_000));
      assertThat(session.writeEntered.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
      client.send(bytes(1_000)); // waiting in the socket: must not be read after the stop
      pump.join().requestStop();
      session.writeGate.countDown();
      Ending end = ended();
      assertThat(end.code()).isEqualTo(ErrorCode.UPLOAD_INTERRUPTED);
      assertThat(session.writes.get()).isEqualTo(1);
      assertThat(end.info().offset()).isEqualTo(session.size()).isPositive();
      assertThat(session.commits.get()).isEqualTo(1);
      assertSettledOnceBeforeOutcome(end);
      assertThat(client.status()).isEqualTo(400);
    }
  }

  @Test
  void stopRequestedWhileWaitingForBytes_wakesCommitsAndInterrupts() throws Exception {
    try (Client client = new Client(5_000)) {
      client.send(bytes(1_200));
      await(() -> session.size() == 1_200 && storage.active.get() == 0);
      pump.join().requestStop();
      Ending end = ended();
      assertThat(end.code()).isEqualTo(ErrorCode.UPLOAD_INTERRUPTED);
      assertThat(end.info().offset()).isEqualTo(1_200);
      assertThat(session.commits.get()).isEqualTo(1);
      assertSettledOnceBeforeOutcome(end);
    }
  }

  @Test
  void stopReason_firstRequestWins() throws Exception {
    try (Client client = new Client(5_000)) {
      client.send(bytes(100));
      await(() -> session.size() == 100 && storage.active.get() == 0);
      pump.join().requestStop(ErrorCode.SERVER_SHUTDOWN);
      pump.join().requestStop();
      assertThat(ended().code()).isEqualTo(ErrorCode.SERVER_SHUTDOWN);
      assertThat(client.status()).isEqualTo(503);
    }
  }

  @Test
  void stopRequestedAfterTheEnd_changesNothing() throws Exception {
    byte[] body = bytes(500);
    try (Client client = new Client(body.length)) {
      client.send(body);
      assertThat(ended().error()).isNull();
      pump.join().requestStop();
      assertThat(client.status()).isEqualTo(204);
      assertThat(outcomes.get()).isEqualTo(1);
      assertThat(settled.get()).isEqualTo(1);
      assertThat(session.commits.get()).isEqualTo(1);
    }
  }

  @Test
  void storeWriteFails_commitsWhatIsDurableAndFailsWithTheStoresError() throws Exception {
    session.failWrites = true;
    try (Client client = new Client(3_000)) {
      client.send(bytes(3_000));
      Ending end = ended();
      assertThat(end.code()).isEqualTo(ErrorCode.STORAGE_FULL);
      assertThat(end.info()).isNotNull(); // "SHOULD store as much as possible"
      assertThat(session.commits.get()).isEqualTo(1);
      assertThat(session.rollbacks.get()).isZero();
      assertSettledOnceBeforeOutcome(end);
      assertThat(client.status()).isEqualTo(507);
    }
  }

  @Test
  void storeWriteFails_withChecksum_rollsBack() throws Exception {
    session.failWrites = true;
    checksum = Optional.of(sha1(bytes(3_000)));
    try (Client client = new Client(3_000)) {
      client.send(bytes(3_000));
      Ending end = ended();
      assertThat(end.code()).isEqualTo(ErrorCode.STORAGE_FULL);
      assertThat(end.info()).isNull();
      assertThat(session.rollbacks.get()).isEqualTo(1);
      assertThat(session.commits.get()).isZero();
      assertSettledOnceBeforeOutcome(end);
    }
  }

  @Test
  void clientGoesAway_keepsWhatArrivedAndFailsAsClientGone() throws Exception {
    Client client = new Client(10_000);
    client.send(bytes(1_500));
    await(() -> session.size() == 1_500 && storage.active.get() == 0);
    client.close();
    assertEndedAsClientGoneKeeping(1_500);
  }

  /** The pump ended as a client gone, with the bytes it had received committed. */
  private void assertEndedAsClientGoneKeeping(long received) throws Exception {
    Ending end = ended();
    assertThat(end.error()).isInstanceOf(BodyPump.ClientGoneException.class);
    assertThat(end.info().offset()).isEqualTo(received);
    assertThat(session.commits.get()).isEqualTo(1);
    assertSettledOnceBeforeOutcome(end);
  }

  @Test
  void connectionClosedByTheServerWhileWaitingForBytes_endsAsClientGone() throws Exception {
    try (Client client = new Client(10_000)) {
      client.send(bytes(1_500));
      await(() -> session.size() == 1_500 && storage.active.get() == 0);
      HttpServerExchange ex = exchange.join();
      // what a read timeout does: the connection closes, the exchange ends, no read event follows
      ex.getIoThread().execute(() -> org.xnio.IoUtils.safeClose(ex.getConnection()));
      assertEndedAsClientGoneKeeping(1_500);
    }
  }

  @Test
  void afterOutcome_waitsForARunningPumpsOutcome_andRunsAtOnceOtherwise() throws Exception {
    AtomicInteger released = new AtomicInteger();
    try (Client client = new Client(10_000)) {
      client.send(bytes(500));
      await(() -> session.size() == 500 && storage.active.get() == 0);
      pump.join().afterOutcome(released::incrementAndGet);
      assertThat(released).hasValue(0);
      client.close();
      ended();
      await(() -> released.get() == 1);
      pump.join().afterOutcome(released::incrementAndGet);
      assertThat(released).hasValue(2);
    }
  }

  @Test
  void bodyPastTheAllowance_storesExactlyTheAllowanceAndFails413() throws Exception {
    allowed = 1_000;
    byte[] body = bytes(2 * BUFFER);
    try (Client client = new Client(body.length)) {
      client.send(body);
      Ending end = ended();
      assertThat(end.code()).isEqualTo(ErrorCode.UPLOAD_SIZE_EXCEEDED);
      assertThat(session.size()).isEqualTo(1_000);
      assertThat(end.info().offset()).isEqualTo(1_000);
      assertThat(session.commits.get()).isEqualTo(1);
      assertSettledOnceBeforeOutcome(end);
      assertThat(client.status()).isEqualTo(413);
    }
  }

  @Test
  void bodyOfExactlyTheAllowance_completes() throws Exception {
    allowed = 1_000;
    try (Client client = new Client(1_000)) {
      client.send(bytes(1_000));
      assertThat(ended().error()).isNull();
      assertThat(session.size()).isEqualTo(1_000);
    }
  }

  @Test
  void policyStops_endsWithUploadStopped() throws Exception {
    stopAt = offset -> offset >= 1_000;
    try (Client client = new Client(10_000)) {
      client.send(bytes(1_000));
      Ending end = ended();
      assertThat(end.code()).isEqualTo(ErrorCode.UPLOAD_STOPPED);
      assertThat(end.info().offset()).isEqualTo(1_000);
      assertSettledOnceBeforeOutcome(end);
    }
  }

  @Test
  void checksumMatches_commits() throws Exception {
    byte[] body = bytes(2 * BUFFER + 5);
    checksum = Optional.of(sha1(body));
    try (Client client = new Client(body.length)) {
      client.send(body);
      Ending end = ended();
      assertThat(end.error()).isNull();
      assertThat(session.commits.get()).isEqualTo(1);
    }
  }

  @Test
  void checksumDiffers_rollsBackAndFails460() throws Exception {
    byte[] body = bytes(2 * BUFFER + 5);
    checksum = Optional.of(sha1(bytes(3)));
    try (Client client = new Client(body.length)) {
      client.send(body);
      Ending end = ended();
      assertThat(end.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
      assertThat(end.info()).isNull();
      assertThat(session.rollbacks.get()).isEqualTo(1);
      assertThat(session.commits.get()).isZero();
      assertSettledOnceBeforeOutcome(end);
      assertThat(client.status()).isEqualTo(460);
    }
  }

  // ---------------------------------------------------------------- helpers

  private Ending ended() throws Exception {
    return ending.get(WAIT_MS, TimeUnit.MILLISECONDS);
  }

  /** The lock is released (settled) exactly once, before the outcome, and the pump no longer runs. */
  private void assertSettledOnceBeforeOutcome(Ending end) {
    assertThat(end.settledBefore()).isEqualTo(1);
    assertThat(end.runningDuring()).isFalse();
    assertThat(settled.get()).isEqualTo(1);
    assertThat(outcomes.get()).isEqualTo(1);
    assertThat(session.closes.get()).isPositive();
  }

  /** Waits, bounded, for a state the pump reaches asynchronously. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("state reached in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  private static Checksum sha1(byte[] body) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-1").digest(body);
    return Checksum.parse("sha1 " + Base64.getEncoder().encodeToString(digest));
  }

  /** A raw HTTP/1.1 client: the request head at once, the body in the pieces a test sends. */
  private final class Client implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    Client(long contentLength) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout((int) WAIT_MS);
      out = socket.getOutputStream();
      String head =
          "PATCH /files/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + contentLength + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    void send(byte[] body) throws IOException {
      send(body, 0, body.length);
    }

    void send(byte[] body, int from, int length) throws IOException {
      out.write(body, from, length);
      out.flush();
    }

    /** The response's status code. */
    int status() throws IOException {
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return Integer.parseInt(line.toString().split(" ")[1]);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The storage executor, counting the tasks that run on it right now. */
  private static final class CountingExecutor implements java.util.concurrent.Executor {
    final ExecutorService pool = Executors.newFixedThreadPool(2);
    final AtomicInteger active = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
      active.incrementAndGet();
      pool.execute(
          () -> {
            try {
              task.run();
            } finally {
              active.decrementAndGet();
            }
          });
    }
  }

  /** An append session in memory; a write can fail or block until the test lets it go on. */
  private static final class FakeSession implements AppendSession {
    private final ByteArrayOutputStream stored = new ByteArrayOutputStream();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger rollbacks = new AtomicInteger();
    final AtomicInteger idles = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final CountDownLatch writeEntered = new CountDownLatch(1);
    volatile CountDownLatch writeGate = new CountDownLatch(0);
    volatile boolean failWrites;

    void blockNextWrite() {
      writeGate = new CountDownLatch(1);
    }

    synchronized int size() {
      return stored.size();
    }

    synchronized byte[] stored() {
      return stored.toByteArray();
    }

    @Override
    public synchronized long offset() {
      return stored.size();
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
      if (failWrites) {
        throw new TusException(ErrorCode.STORAGE_FULL, "disk full");
      }
      writeEntered.countDown();
      try {
        writeGate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      byte[] chunk = new byte[src.remaining()];
      src.get(chunk);
      synchronized (this) {
        stored.write(chunk, 0, chunk.length);
      }
      writes.incrementAndGet();
    }

    @Override
    public UploadInfo commit() {
      commits.incrementAndGet();
      Instant now = Instant.EPOCH;
      return UploadInfo.draft(UploadId.random(), OptionalLong.empty(), Map.of(), now, now.plusSeconds(60))
          .withOffset(offset(), now);
    }

    @Override
    public void rollback() {
      rollbacks.incrementAndGet();
    }

    @Override
    public void idle() {
      idles.incrementAndGet();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }
}
