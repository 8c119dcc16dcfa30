package dev.tusk.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/** What the expiry index costs in S3 requests, counted at the client. */
class S3ExpiryIndexTest {
  static final Instant NOW = S3TestSupport.NOW;
  @TempDir Path temp;
  final AtomicInteger requests = new AtomicInteger();
  S3UploadStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private S3UploadStore open() throws Exception {
    ExecutionInterceptor counter =
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(
              Context.BeforeTransmission context, ExecutionAttributes attributes) {
            requests.incrementAndGet();
          }
        };
    S3StoreConfig config = S3ProxyFixture.shared().config(temp);
    S3Client client =
        S3Clients.builder(config, 8)
            .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
            .build();
    return new S3UploadStore(config, client, new MutableClock(NOW));
  }

  /** Empty uploads (no multipart upload), each expiring in a minute of its own. */
  private void createUntil(int stored) throws Exception {
    int have;
    try (Stream<ExpiryEntry> all = store.entries()) {
      have = (int) all.count();
    }
    for (int i = have; i < stored; i++) {
      Instant expires = NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(i));
      store.create(
          UploadInfo.draft(UploadId.random(), OptionalLong.of(0), Map.of(), NOW, expires));
    }
  }

  private List<ExpiryEntry> dueCounted(Instant now) {
    requests.set(0);
    try (Stream<ExpiryEntry> due = store.due(now)) {
      return due.toList();
    }
  }

  @Test
  void due_nothingDue_isOneRequest_atAnyNumberStored() throws Exception {
    store = open();
    for (int stored : new int[] {10, 300}) {
      createUntil(stored);

      assertThat(dueCounted(NOW.plus(Duration.ofHours(12)))).isEmpty();
      assertThat(requests.get()).as("S3 requests with %d stored, none due", stored).isEqualTo(1);
    }
  }

  @Test
  void due_someDue_costsOneListPerDueBucket() throws Exception {
    store = open();
    createUntil(200);

    List<ExpiryEntry> due = dueCounted(NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(2)));

    assertThat(due).hasSize(3);
    assertThat(requests.get()).as("the bucket listing and one LIST per due bucket").isEqualTo(4);
  }

  @Test
  void list_pagesThroughUploadsOnly_notTheirIndexMarkers() throws Exception {
    store = open();
    // each empty upload is its info and its data object beside it, and a marker below .expiry/:
    // 1,200 keys under the prefix, 801 directly under it
    createUntil(400);

    requests.set(0);
    long listed;
    try (Stream<UploadId> ids = store.list()) {
      listed = ids.count();
    }

    assertThat(listed).isEqualTo(400);
    assertThat(requests.get()).as("LIST pages of 1,000 keys").isEqualTo(1);
  }

  @Test
  void create_isOnePutMore_andTerminateNoRequestMore() throws Exception {
    store = open();
    requests.set(0);
    UploadInfo info =
        store.create(
            UploadInfo.draft(
                UploadId.random(), OptionalLong.of(10), Map.of(), NOW, NOW.plusSeconds(90)));
    // multipart create, marker PUT, info PUT with If-None-Match
    assertThat(requests.get()).isEqualTo(3);

    requests.set(0);
    store.terminate(info);
    // abort and one batch DELETE that includes the marker
    assertThat(requests.get()).isEqualTo(2);
    try (Stream<ExpiryEntry> all = store.entries()) {
      assertThat(all).isEmpty();
    }
  }

}
