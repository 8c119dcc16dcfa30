package dev.tusk.store.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns the SDK's unchecked exceptions into the {@link IOException}s the store SPI declares. */
final class S3Calls {
  private S3Calls() {}

  /** An S3 request. */
  interface Call<T> {
    T run();
  }

  static <T> T call(String what, Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (AbortedException e) {
      InterruptedIOException interrupted = new InterruptedIOException(what + ": aborted");
      interrupted.initCause(e);
      throw interrupted;
    } catch (SdkException e) {
      throw new IOException(what + " failed: " + e.getMessage(), e);
    }
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
