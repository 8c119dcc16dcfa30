package dev.tusk.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3CallsTest {

  private static Throwable failure(SdkException e) {
    try {
      S3Calls.call("PUT t/abc.info", () -> { throw e; });
      throw new AssertionError("no failure");
    } catch (IOException | RuntimeException thrown) {
      return thrown;
    }
  }

  private static S3Exception status(int status) {
    return (S3Exception) S3Exception.builder().statusCode(status).message("status " + status).build();
  }

  @Test
  void serverErrorsAndThrottling_areUnavailable_withRetryAfter_andNoKeyInTheDetail() {
    for (int status : new int[] {500, 502, 503}) {
      Throwable t = failure(status(status));
      assertThat(t).isInstanceOf(TusException.class);
      TusException tus = (TusException) t;
      assertThat(tus.code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
      assertThat(tus.headers()).containsKey("Retry-After");
      assertThat(tus.detail()).doesNotContain("abc").contains(Integer.toString(status));
      assertThat(tus.getCause()).hasMessageContaining("PUT t/abc.info");
    }
  }

  @Test
  void connectionFailures_areUnavailable() {
    Throwable t = failure(SdkClientException.create("reset", new SocketException("Connection reset")));
    assertThat(t).isInstanceOf(TusException.class);
    assertThat(((TusException) t).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
  }

  @Test
  void timeouts_areUnavailable_causedByATimeout() {
    Throwable t = failure(ApiCallTimeoutException.create(2000));
    assertThat(t).isInstanceOf(TusException.class);
    assertThat(((TusException) t).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
    assertThat(t.getCause()).isInstanceOf(TimeoutException.class);
  }

  @Test
  void clientErrorsAndNotImplemented_stayIoExceptions() {
    for (int status : new int[] {400, 403, 404, 412, 501}) {
      assertThat(failure(status(status))).isInstanceOf(IOException.class);
    }
    assertThat(failure(SdkClientException.create("cannot marshall"))).isInstanceOf(IOException.class);
  }

  @Test
  void notFound_isStillRecognizedUnderTheIoException() {
    assertThatThrownBy(() -> S3Calls.call("GET x", () -> { throw status(404); }))
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(S3Calls.isNotFound(e.getCause())).isTrue());
  }
}
