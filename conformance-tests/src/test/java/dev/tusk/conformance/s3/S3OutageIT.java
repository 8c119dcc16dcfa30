package dev.tusk.conformance.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.s3.FaultProxy.Fault;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * S3 failing under tusk (error answers, answers slower than the store timeout, connection resets,
 * injected by a proxy in front of the S3 server): requests get 503 with Retry-After and
 * ERR_STORAGE_UNAVAILABLE within the store timeout, readiness goes down, and once S3 is back the
 * uploads resume at their durable offset and readiness comes back by itself.
 */
@EnabledIfSystemProperty(named = "tusk.store", matches = "s3")
class S3OutageIT {
  /** What a request may take beyond the store timeout (the other S3 requests, the HTTP hops). */
  static final Duration MARGIN = Duration.ofSeconds(3);

  @RegisterExtension final S3Behind tusk = S3Behind.extension();

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"ERROR_500", "ERROR_503", "DELAY", "RESET"})
  @DisplayName("S3 failing: 503 + Retry-After + ERR_STORAGE_UNAVAILABLE in bounded time, not ready; then resume")
  void s3Failing_answers503_notReady_thenUploadsResume(Fault fault) throws Exception {
    byte[] data = new byte[300_000];
    new Random(fault.ordinal()).nextBytes(data);
    HttpResponse<String> created = tusk.create(data.length);
    assertThat(created.statusCode()).isEqualTo(201);
    URI upload = tusk.location(created);
    assertThat(tusk.patch(upload, 0, data, 0, 3707).statusCode()).isEqualTo(204);

    tusk.proxy.plan((method, path) -> fault);
    assertUnavailable(timed(() -> tusk.create(10)));
    assertUnavailable(timed(() -> tusk.patch(upload, 3707, data, 3707, 100_000)));
    assertUnavailable(timed(() -> tusk.single(data)));
    assertNoLockHeld();
    HttpResponse<String> ready = tusk.ready();
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("DOWN").contains("store unavailable");

    tusk.proxy.plan((method, path) -> Fault.NONE);
    HttpResponse<String> head = tusk.head(upload);
    assertThat(head.statusCode()).isEqualTo(200);
    long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    assertThat(offset).isBetween(3707L, 100_000L); // what S3 holds; 3707 was acknowledged
    assertThat(tusk.patch(upload, offset, data, (int) offset, data.length).statusCode())
        .isEqualTo(204);
    assertThat(tusk.get(upload).body()).isEqualTo(data);
    assertThat(tusk.ready().statusCode()).isEqualTo(200);
    String metrics = tusk.metrics();
    assertThat(storeErrors(metrics, "unavailable") + storeErrors(metrics, "timeout")).isPositive();
    assertThat(metrics).contains("tusk_store_since_success_seconds");
  }

  /** Every request that failed on the store let go of its upload's lock. */
  private void assertNoLockHeld() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!tusk.metrics().contains("\ntusk_locks_held 0.0\n")) {
      assertThat(System.nanoTime()).as("tusk_locks_held back to 0 within 5 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static double storeErrors(String metrics, String kind) {
    String series = "tusk_store_errors_total{kind=\"" + kind + "\"} ";
    int at = metrics.indexOf(series);
    assertThat(at).as(series).isNotNegative();
    return Double.parseDouble(metrics.substring(at + series.length(), metrics.indexOf('\n', at)));
  }

  @Test
  @DisplayName("Readiness comes back by itself after S3 recovers, with no request succeeding")
  void readiness_recoversByItself() throws Exception {
    tusk.proxy.plan((method, path) -> Fault.ERROR_503);
    assertUnavailable(tusk.create(10));
    assertThat(tusk.ready().statusCode()).isEqualTo(503);
    tusk.proxy.plan((method, path) -> Fault.NONE);
    tusk.clock.advance(Duration.ofSeconds(5));
    assertThat(tusk.ready().statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("Every S3 request slow but within the store timeout: a request still answers within it")
  void slowS3_requestAnswersWithinTheStoreTimeout() throws Exception {
    byte[] data = new byte[100_000];
    new Random(7).nextBytes(data);
    HttpResponse<String> created = tusk.create(data.length);
    URI upload = tusk.location(created);
    tusk.proxy.plan((method, path) -> Fault.SLOW); // 2.5 s each; completing makes about 7 requests
    HttpResponse<String> patch = timed(() -> tusk.patch(upload, 0, data, 0, data.length));
    assertThat(patch.statusCode()).isIn(204, 503);
    tusk.proxy.plan((method, path) -> Fault.NONE);
    HttpResponse<String> head = tusk.head(upload);
    long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    if (offset < data.length) {
      assertThat(tusk.patch(upload, offset, data, (int) offset, data.length).statusCode()).isEqualTo(204);
    }
    assertThat(tusk.get(upload).body()).isEqualTo(data);
  }

  @Test
  @DisplayName("After a PATCH whose commit S3 stored but whose answer was lost, HEAD gives the stored offset and a PATCH there succeeds")
  void lostCommitAnswer_headReportsTheDurableOffset() throws Exception {
    byte[] data = new byte[10_000];
    new Random(11).nextBytes(data);
    URI upload = tusk.location(tusk.create(data.length));
    HttpResponse<String> before = tusk.head(upload);
    assertThat(before.headers().firstValue("Upload-Offset")).hasValue("0");

    tusk.proxy.plan((method, path) ->
        method.equals("PUT") && path.contains(".part") ? Fault.LOST_ANSWER : Fault.NONE);
    assertUnavailable(tusk.patch(upload, 0, data, 0, 3707));
    tusk.proxy.plan((method, path) -> Fault.NONE);

    HttpResponse<String> head = tusk.head(upload);
    assertThat(head.headers().firstValue("Upload-Offset")).hasValue("3707");
    HttpResponse<String> resumed = tusk.patch(upload, 3707, data, 3707, data.length);
    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(204);
    assertThat(tusk.get(upload).body()).isEqualTo(data);
  }

  private interface Request {
    HttpResponse<String> send() throws Exception;
  }

  private static HttpResponse<String> timed(Request request) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = request.send();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("answered within the store timeout and a margin")
        .isLessThan(S3Behind.STORE_TIMEOUT.plus(MARGIN));
    return response;
  }

  private static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"code\":\"ERR_STORAGE_UNAVAILABLE\"");
  }
}
