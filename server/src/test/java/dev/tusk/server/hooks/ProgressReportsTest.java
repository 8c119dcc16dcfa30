package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressReportsTest {
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private final AtomicInteger sent = new AtomicInteger();
  private final FakeReceiver receiver = new FakeReceiver("a");

  private ProgressReports reports(Object answer) {
    receiver.then(answer);
    return new ProgressReports(Duration.ofSeconds(1), clock, Runnable::run, inv -> {
      sent.incrementAndGet();
      return List.of(BlockingCalls.once(receiver, inv, new HookMetrics(
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry())));
    });
  }

  private static Invocation report(dev.tusk.core.UploadInfo info) {
    return new Invocation(HookType.POST_RECEIVE, "r", "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void reports_areThrottledPerInterval() {
    ProgressReports p = reports(HookResponse.EMPTY);
    assertThat(p.onProgress(Fixtures.upload(1, 10), ProgressReportsTest::report)).isFalse();
    assertThat(p.onProgress(Fixtures.upload(2, 10), ProgressReportsTest::report)).isFalse();
    assertThat(sent).hasValue(1);
    clock.advance(Duration.ofSeconds(1));
    p.onProgress(Fixtures.upload(3, 10), ProgressReportsTest::report);
    assertThat(sent).hasValue(2);
  }

  @Test
  void stopUpload_stopsAtTheNextStoredBuffer() {
    ProgressReports p = reports(FakeReceiver.answer("{\"StopUpload\": true}"));
    assertThat(p.onProgress(Fixtures.upload(1, 10), ProgressReportsTest::report)).isFalse();
    assertThat(p.onProgress(Fixtures.upload(2, 10), ProgressReportsTest::report)).isTrue();
  }

  @Test
  void failedReport_doesNotStop() {
    ProgressReports p = reports(FakeReceiver.down());
    p.onProgress(Fixtures.upload(1, 10), ProgressReportsTest::report);
    assertThat(p.onProgress(Fixtures.upload(2, 10), ProgressReportsTest::report)).isFalse();
    assertThat(receiver.calls).hasSize(1);
  }
}
