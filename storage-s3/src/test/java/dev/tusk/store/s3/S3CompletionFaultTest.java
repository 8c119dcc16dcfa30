package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3TestSupport.MIB;
import static dev.tusk.store.s3.S3TestSupport.append;
import static dev.tusk.store.s3.S3TestSupport.draft;
import static dev.tusk.store.s3.S3TestSupport.randomBytes;
import static dev.tusk.store.s3.S3TestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A completion that fails at each of its steps against the real S3 server of the tests (S3Proxy,
 * which answers ListParts of a completed upload with an empty list, not NoSuchUpload): the failure
 * is injected into the store's S3 client, then the upload is found again by the same store and by
 * a new one (a restart). Either way it is complete, and its bytes read back exactly. And a commit
 * that S3 stored but whose answer was lost is reported at the offset S3 holds.
 */
class S3CompletionFaultTest extends S3StoreTestBase {

  /** Where the completion fails, once. */
  enum Step {
    BEFORE_COMPLETE_MULTIPART(true) {
      @Override
      boolean matches(SdkRequest r) {
        return r instanceof CompleteMultipartUploadRequest;
      }
    },
    AFTER_COMPLETE_MULTIPART(false) {
      @Override
      boolean matches(SdkRequest r) {
        return r instanceof CompleteMultipartUploadRequest;
      }
    },
    INFO_WRITE_FAILS(true) {
      @Override
      boolean matches(SdkRequest r) {
        return r instanceof PutObjectRequest put && put.key().endsWith(".info");
      }
    },
    AFTER_INFO_WRITE(false) {
      @Override
      boolean matches(SdkRequest r) {
        return r instanceof PutObjectRequest put && put.key().endsWith(".info");
      }
    };

    /** Whether the failure comes before S3 sees the request (else after S3 acted on it). */
    final boolean before;

    Step(boolean before) {
      this.before = before;
    }

    abstract boolean matches(SdkRequest request);
  }

  /** Fails the first request {@code step} matches once armed, as a crash or lost answer would. */
  private static final class Fault implements ExecutionInterceptor {
    private final Step step;
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicBoolean fired = new AtomicBoolean();

    Fault(Step step) {
      this.step = step;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (step.before) {
        maybeFail(context.request());
      }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (!step.before) {
        maybeFail(context.request());
      }
    }

    private void maybeFail(SdkRequest request) {
      if (step.matches(request) && armed.get() && fired.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure: " + step);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void completionFailingAtAStep_isFinished_byTheSameStoreAndAfterARestart(Step step)
      throws Exception {
    S3StoreConfig config = config();
    Fault fault = new Fault(step);
    S3Client client =
        S3Clients.builder(config, 8)
            .overrideConfiguration(o -> o.addExecutionInterceptor(fault))
            .build();
    S3UploadStore store = open(new S3UploadStore(config, client, clock));
    byte[] data = randomBytes(6 * MIB + 123, step.ordinal());
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    info = append(store, info, data, 0, 3 * MIB);

    fault.armed.set(true);
    try (AppendSession session = store.openAppend(info, false)) {
      session.write(ByteBuffer.wrap(data, 3 * MIB, data.length - 3 * MIB));
      assertThatThrownBy(session::commit).hasMessageContaining("injected failure");
    }
    assertThat(fault.fired).isTrue();

    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.isComplete()).isTrue();
    assertThat(found.offset()).isEqualTo(data.length);
    assertThat(read(store, found, 0, data.length)).isEqualTo(data);

    S3UploadStore restarted = open(config);
    UploadInfo again = restarted.find(info.id()).orElseThrow();
    assertThat(again.isComplete()).isTrue();
    assertThat(read(restarted, again, 0, data.length)).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void completionFailingAtAStep_thenRestart_findsItComplete(Step step) throws Exception {
    S3StoreConfig config = config();
    Fault fault = new Fault(step);
    S3Client client =
        S3Clients.builder(config, 8)
            .overrideConfiguration(o -> o.addExecutionInterceptor(fault))
            .build();
    S3UploadStore store = open(new S3UploadStore(config, client, clock));
    byte[] data = randomBytes(5 * MIB + 7, 10 + step.ordinal());
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    fault.armed.set(true);
    assertThatThrownBy(() -> append(store, info, data, 0, data.length))
        .isInstanceOfAny(IOException.class, RuntimeException.class);

    S3UploadStore restarted = open(config); // the first one is never asked again: it "died"
    UploadInfo found = restarted.find(info.id()).orElseThrow();
    assertThat(found.isComplete()).isTrue();
    assertThat(found.offset()).isEqualTo(data.length);
    assertThat(read(restarted, found, 0, data.length)).isEqualTo(data);
  }

  @org.junit.jupiter.api.Test
  void commitWhoseAnswerIsLost_findReportsTheStoredOffset_andAnAppendThereSucceeds()
      throws Exception {
    S3StoreConfig config = config();
    AtomicBoolean armed = new AtomicBoolean();
    ExecutionInterceptor lostAnswer =
        new ExecutionInterceptor() {
          @Override
          public void afterExecution(
              Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest put
                && put.key().endsWith(".part")
                && armed.compareAndSet(true, false)) {
              throw new IllegalStateException("injected failure: answer lost");
            }
          }
        };
    S3Client client =
        S3Clients.builder(config, 8)
            .overrideConfiguration(o -> o.addExecutionInterceptor(lostAnswer))
            .build();
    S3UploadStore store = open(new S3UploadStore(config, client, clock));
    byte[] data = randomBytes(10_000, 42);
    UploadInfo info = store.create(draft(OptionalLong.of(data.length)));
    assertThat(store.find(info.id()).orElseThrow().offset()).isZero();

    armed.set(true);
    assertThatThrownBy(() -> append(store, info, data, 0, 3707))
        .hasMessageContaining("injected failure");

    UploadInfo found = store.find(info.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(3707); // what S3 holds, not what the cache last saw
    UploadInfo done = append(store, found, data, 3707, data.length);
    assertThat(done.isComplete()).isTrue();
    assertThat(read(store, done, 0, data.length)).isEqualTo(data);
  }
}
