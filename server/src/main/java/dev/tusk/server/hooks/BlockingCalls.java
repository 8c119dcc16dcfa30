package dev.tusk.server.hooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls several receivers at once and waits for all of them (the caller's thread blocks; the calls
 * run on a pool). Each receiver is retried on its own after a connection error or a 5xx, waiting
 * {@code backoff}, then twice as long, and so on, without holding a thread while it waits.
 * Thread-safe.
 */
final class BlockingCalls {
  /** One receiver's outcome: an answer or a failure. */
  record Result(Receiver receiver, HookResponse response, HookFailure failure) {
    boolean ok() {
      return failure == null;
    }
  }

  private final ExecutorService pool;
  private final int retries;
  private final Duration backoff;
  private final HookMetrics metrics;

  BlockingCalls(ExecutorService pool, int retries, Duration backoff, HookMetrics metrics) {
    this.pool = pool;
    this.retries = retries;
    this.backoff = backoff;
    this.metrics = metrics;
  }

  /** Calls every receiver with {@code invocation}; results in the receivers' order. Blocks. */
  List<Result> callAll(List<Receiver> receivers, Invocation invocation) {
    List<CompletableFuture<Result>> calls = new ArrayList<>();
    for (Receiver r : receivers) {
      calls.add(attempt(r, invocation, 0));
    }
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < receivers.size(); i++) {
      results.add(await(receivers.get(i), calls.get(i)));
    }
    return results;
  }

  /** Sends once, recording the attempt's metrics; never throws. */
  static Result once(Receiver receiver, Invocation invocation, HookMetrics metrics) {
    long start = System.nanoTime();
    try {
      HookResponse response = receiver.call(invocation);
      metrics.call(invocation.type(), receiver.name(), true, Duration.ofNanos(System.nanoTime() - start));
      return new Result(receiver, response, null);
    } catch (HookFailure f) {
      metrics.call(invocation.type(), receiver.name(), false, Duration.ofNanos(System.nanoTime() - start));
      metrics.failure(invocation.type(), receiver.name(), f.reason());
      return new Result(receiver, null, f);
    } catch (RuntimeException e) {
      metrics.call(invocation.type(), receiver.name(), false, Duration.ofNanos(System.nanoTime() - start));
      metrics.failure(invocation.type(), receiver.name(), "io");
      return new Result(receiver, null, new HookFailure(HookFailure.Kind.IO, e.toString()));
    }
  }

  private CompletableFuture<Result> attempt(Receiver receiver, Invocation invocation, int n) {
    CompletableFuture<Result> call;
    try {
      call = CompletableFuture.supplyAsync(() -> once(receiver, invocation, metrics), pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(
          new Result(receiver, null, new HookFailure(HookFailure.Kind.IO, "hooks are shut down")));
    }
    return call.thenCompose(
        result -> {
          if (result.ok() || !result.failure().retryableNow() || n >= retries) {
            return CompletableFuture.completedFuture(result);
          }
          Executor later =
              CompletableFuture.delayedExecutor(backoff.toMillis() << n, TimeUnit.MILLISECONDS, pool);
          return CompletableFuture.supplyAsync(() -> n + 1, later)
              .thenCompose(next -> attempt(receiver, invocation, next));
        });
  }

  private Result await(Receiver receiver, CompletableFuture<Result> call) {
    long budget =
        receiver.timeout().toMillis() * (retries + 1L) + (backoff.toMillis() << retries) + 2_000;
    try {
      return call.get(budget, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(receiver, null, new HookFailure(HookFailure.Kind.IO, "interrupted"));
    } catch (TimeoutException e) {
      call.cancel(false);
      return new Result(
          receiver, null, new HookFailure(HookFailure.Kind.TIMEOUT, "no answer within " + budget + " ms"));
    } catch (ExecutionException e) {
      return new Result(receiver, null, new HookFailure(HookFailure.Kind.IO, String.valueOf(e.getCause())));
    }
  }
}
