package dev.tusk.server.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.MutableClock;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.lock.InMemoryLocker;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy.Access;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.store.fs.FsUploadStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of {@link UploadService#access}: the policy decides before 404/410 and kinds. */
class UploadServiceTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  /** Only the upload's owner gets through; anyone else gets the 404 of an unknown upload. */
  static final UploadPolicy OWNERS_ONLY =
      new UploadPolicy() {
        @Override
        public void beforeAccess(RequestContext request, UploadInfo info, Access access) {
          String caller = request.principal().map(Principal::id).orElse("");
          if (!caller.equals(info.attributes().get("owner"))) {
            throw new TusException(ErrorCode.UPLOAD_NOT_FOUND, "upload " + info.id() + " not found");
          }
        }
      };

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(NOW);
  ScheduledExecutorService scheduler;
  FsUploadStore store;
  UploadService uploads;

  @BeforeEach
  void start() throws Exception {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    store = new FsUploadStore(dir, clock);
    uploads = new UploadService(StoreCapabilities.of(store), clock, new InMemoryLocker(scheduler), Duration.ofSeconds(1), OWNERS_ONLY, 0);
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void access_expiredUpload_isNotFoundForOthers_andGoneForItsOwner() throws Exception {
    UploadInfo info = alices();
    clock.advance(Duration.ofHours(2));
    assertCode(() -> uploads.access(as("bob"), info.id(), Access.HEAD), ErrorCode.UPLOAD_NOT_FOUND);
    assertCode(() -> uploads.access(as("alice"), info.id(), Access.HEAD), ErrorCode.UPLOAD_EXPIRED);
  }

  @Test
  void access_sweptUpload_isNotFoundForOthers_andGoneForItsOwner() throws Exception {
    UploadInfo info = alices();
    clock.advance(Duration.ofHours(2));
    uploads.markExpired(info);
    store.terminate(info);
    assertCode(() -> uploads.access(as("bob"), info.id(), Access.GET), ErrorCode.UPLOAD_NOT_FOUND);
    assertCode(() -> uploads.access(as("alice"), info.id(), Access.GET), ErrorCode.UPLOAD_EXPIRED);
    assertCode(() -> uploads.access(as("alice"), UploadId.random(), Access.GET), ErrorCode.UPLOAD_NOT_FOUND);
  }

  @Test
  void partialsFor_anotherOwnersNonPartial_isNotFoundBeforeItsKindIsChecked() throws Exception {
    UploadInfo info = alices();
    assertThatThrownBy(() -> uploads.partialsFor(as("bob"), List.of(info.id())))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
          assertThat(e.detail()).isEqualTo(
              "partial upload " + info.id() + " cannot be used: upload " + info.id() + " not found");
        });
    assertCode(() -> uploads.partialsFor(as("alice"), List.of(info.id())), ErrorCode.INVALID_CONCAT);
  }

  private UploadInfo alices() throws Exception {
    UploadInfo draft =
        UploadInfo.draft(UploadId.random(), OptionalLong.of(3), Map.of("filename", "a.txt"), NOW,
                NOW.plus(Duration.ofHours(1)))
            .withAttribute("owner", "alice");
    return store.create(draft);
  }

  private static RequestContext as(String owner) {
    return new RequestContext("GET", "/files/x", "127.0.0.1:1", Map.of(),
        Optional.of(new Principal(owner, Set.of("upload", "download"), Map.of())), "trace");
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
