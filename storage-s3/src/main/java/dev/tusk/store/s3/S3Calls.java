package dev.tusk.store.s3;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns the SDK's unchecked exceptions into what the store SPI declares: S3 being unavailable (a
 * 5xx or throttling answer after the SDK's retries, a connection that failed or was reset, no
 * answer within the call timeout) is {@link TusException} {@link ErrorCode#STORAGE_UNAVAILABLE}
 * with {@code Retry-After}, whose cause is a {@link TimeoutException} when S3 was too slow; every
 * other failure an {@link IOException} with the SDK's exception as cause. A store call's S3
 * requests together take at most the call timeout ({@link #within}). The client sees no key
 * or bucket in the detail; the log has them in the cause.
 */
final class S3Calls {
  /** Seconds a client is asked to wait before retrying while S3 is unavailable. */
  static final String RETRY_AFTER_SECONDS = "2";

  /** When the store call running on this thread must be done with S3; null outside one. */
  private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

  private S3Calls() {}

  /** An S3 request. */
  interface Call<T> {
    T run();
  }

  /** One store call's work. */
  interface Work<T> {
    T run() throws IOException;
  }

  /**
   * Runs one store call whose S3 requests on this thread take at most {@code budget} together
   * (each request gets what is left, see {@link #bound}); a store call inside another shares the
   * outer one's budget. Requests made on other threads (part uploads) are bounded on their own.
   */
  static <T> T within(Duration budget, Work<T> work) throws IOException {
    if (DEADLINE.get() != null) {
      return work.run();
    }
    DEADLINE.set(System.nanoTime() + budget.toNanos());
    try {
      return work.run();
    } finally {
      DEADLINE.remove();
    }
  }

  /**
   * Sets a request's time limit to what is left of the current store call's budget; outside a
   * store call the client's limit (the call timeout) applies.
   */
  static void bound(AwsRequestOverrideConfiguration.Builder request) {
    Long deadline = DEADLINE.get();
    if (deadline != null) {
      long left = Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime());
      request.apiCallTimeout(Duration.ofNanos(left));
    }
  }

  static <T> T call(String what, Call<T> call) throws IOException {
    Long deadline = DEADLINE.get();
    if (deadline != null && deadline - System.nanoTime() <= 0) {
      throw unavailable(
          "the storage did not answer in time",
          new TimeoutException(what + " not sent: the store call's time is used up"));
    }
    try {
      return call.run();
    } catch (AbortedException e) {
      InterruptedIOException interrupted = new InterruptedIOException(what + ": aborted");
      interrupted.initCause(e);
      throw interrupted;
    } catch (SdkException e) {
      if (isTimeout(e)) {
        TimeoutException slow = new TimeoutException(what + " took too long: " + e.getMessage());
        slow.initCause(e);
        throw unavailable("the storage did not answer in time", slow);
      }
      if (isUnavailable(e)) {
        throw unavailable(
            e instanceof SdkServiceException s
                ? "the storage answered " + s.statusCode()
                : "the storage cannot be reached",
            new IOException(what + " failed: " + e.getMessage(), e));
      }
      throw new IOException(what + " failed: " + e.getMessage(), e);
    }
  }

  private static TusException unavailable(String detail, Throwable cause) {
    return new TusException(
        ErrorCode.STORAGE_UNAVAILABLE,
        detail,
        Map.of("Retry-After", RETRY_AFTER_SECONDS),
        cause);
  }

  /** No answer within the call timeout, or a socket that timed out. */
  static boolean isTimeout(Throwable e) {
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** A 5xx or throttling answer, or a connection that failed (an I/O error under the SDK's). */
  static boolean isUnavailable(Throwable e) {
    if (e instanceof SdkServiceException s) {
      return (s.statusCode() >= 500 && s.statusCode() != 501) || s.isThrottlingException();
    }
    if (e instanceof SdkClientException) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof IOException) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean isNotFound(Throwable e) {
    return e instanceof NoSuchKeyException
        || e instanceof NoSuchUploadException
        || (e instanceof S3Exception s3 && s3.statusCode() == 404);
  }

  static boolean isPreconditionFailed(Throwable e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 412;
  }
}
