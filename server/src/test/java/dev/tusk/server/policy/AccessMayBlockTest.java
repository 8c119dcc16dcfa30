package dev.tusk.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadStore;
import dev.tusk.server.hooks.HookPolicy;
import dev.tusk.server.hooks.HookType;
import dev.tusk.server.hooks.Hooks;
import dev.tusk.server.hooks.HooksConfig;
import dev.tusk.server.hooks.ReceiverConfig;
import dev.tusk.server.metrics.LifecycleEvents;
import dev.tusk.server.metrics.TuskMetrics;
import dev.tusk.store.fs.FsUploadStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which policies may block in their access check (which keeps downloads off the I/O thread). */
class AccessMayBlockTest {
  @TempDir Path dir;

  private HookPolicy hooks(HookType... types) throws Exception {
    UploadStore store = new FsUploadStore(dir.resolve("uploads"), Clock.systemUTC());
    HooksConfig config =
        HooksConfig.defaults()
            .withOutboxDir(dir.resolve("outbox"))
            .withEnabled(Set.of(HookType.values())) // pre-access is not enabled by default
            .withReceivers(List.of(ReceiverConfig.http("http://127.0.0.1:1/hooks").withTypes(Set.of(types))));
    return Hooks.create(config, store, Clock.systemUTC());
  }

  @Test
  void noPolicy_andMetrics_neverBlock() {
    assertThat(UploadPolicy.NONE.accessMayBlock()).isFalse();
    assertThat(new LifecycleEvents(new TuskMetrics()).accessMayBlock()).isFalse();
  }

  @Test
  void aPolicyThatDoesNotSay_isAssumedToBlock() {
    assertThat(new UploadPolicy() {}.accessMayBlock()).isTrue();
  }

  @Test
  void hooks_blockOnlyWithAPreAccessReceiver() throws Exception {
    try (HookPolicy noAccessHook = hooks(HookType.POST_FINISH, HookType.PRE_CREATE)) {
      assertThat(noAccessHook.accessMayBlock()).isFalse();
    }
    try (HookPolicy preAccess = hooks(HookType.PRE_ACCESS)) {
      assertThat(preAccess.accessMayBlock()).isTrue();
    }
  }

  @Test
  void several_blockIfAnyDoes() throws Exception {
    UploadPolicy unknown = new UploadPolicy() {};
    UploadPolicy metrics = new LifecycleEvents(new TuskMetrics());
    assertThat(UploadPolicies.of(List.of(metrics, unknown)).accessMayBlock()).isTrue();
    try (HookPolicy finishOnly = hooks(HookType.POST_FINISH)) {
      assertThat(UploadPolicies.of(List.of(finishOnly, metrics)).accessMayBlock()).isFalse();
    }
  }
}
