package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.MutableClock;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.store.fs.FsUploadStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusesTest {
  @TempDir Path dir;

  private static HookResponse.StatusChange change(ProcessingStatus s, String reason) {
    return new HookResponse.StatusChange(s, reason);
  }

  @Test
  void rejected_isStickyAgainstHooksButNotTheApi() throws Exception {
    FsUploadStore store = new FsUploadStore(dir, new MutableClock(Fixtures.T0));
    UploadInfo info = store.create(Fixtures.upload(0, 0).withStorage(java.util.Map.of()));
    List<UploadId> changed = new ArrayList<>();
    Statuses statuses = new Statuses(store, changed::add);

    statuses.set(info.id(), info.createdAt(), change(ProcessingStatus.REJECTED, "EICAR"), true);
    UploadInfo kept = statuses.set(info.id(), null, change(ProcessingStatus.READY, ""), true).orElseThrow();
    assertThat(ProcessingStatus.of(kept)).contains(ProcessingStatus.REJECTED);
    assertThat(kept.attributes()).containsEntry(ProcessingStatus.REASON_ATTRIBUTE, "EICAR");
    assertThatThrownBy(() -> ProcessingStatus.checkDownload(kept))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PROCESSING_REJECTED);
          assertThat(e.detail()).contains("EICAR");
        });

    UploadInfo ready = statuses.set(info.id(), null, change(ProcessingStatus.READY, ""), false).orElseThrow();
    assertThat(ProcessingStatus.of(store.find(info.id()).orElseThrow())).contains(ProcessingStatus.READY);
    assertThat(ready.attributes()).doesNotContainKey(ProcessingStatus.REASON_ATTRIBUTE);
    ProcessingStatus.checkDownload(ready);
    assertThat(changed).hasSize(2);
  }

  @Test
  void anotherUploadWithTheSameIdOrAnIncompleteOne_isLeftAlone() throws Exception {
    FsUploadStore store = new FsUploadStore(dir, new MutableClock(Fixtures.T0));
    UploadInfo info = store.create(Fixtures.upload(0, 10).withStorage(java.util.Map.of()));
    Statuses statuses = new Statuses(store, id -> {});
    assertThat(statuses.set(info.id(), null, change(ProcessingStatus.READY, ""), false)).isEmpty();
    assertThat(statuses.set(info.id(), Fixtures.T0.minusSeconds(1), change(ProcessingStatus.READY, ""), true))
        .isEmpty();
    assertThat(statuses.set(new UploadId("no-such-upload"), null, change(ProcessingStatus.READY, ""), false))
        .isEmpty();
  }

  @Test
  void processing_answers409WithRetryAfter() {
    UploadInfo processing = ProcessingStatus.PROCESSING.applyTo(Fixtures.upload(10, 10), "");
    assertThatThrownBy(() -> ProcessingStatus.checkDownload(processing))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.headers()).containsKey("Retry-After");
        });
    ProcessingStatus.checkDownload(Fixtures.upload(10, 10));
  }
}
