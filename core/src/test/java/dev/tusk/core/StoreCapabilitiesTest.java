package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreCapabilitiesTest {

  @Test
  void of_storeWithSomeCapabilities_offersExactlyThose() {
    StoreCapabilities caps = StoreCapabilities.of(new TerminatingStore());

    assertThat(caps.store()).isInstanceOf(TerminatingStore.class);
    assertThat(caps.terminator()).containsSame((Terminator) caps.store());
    assertThat(caps.lengthDeferrer()).isEmpty();
    assertThat(caps.concatenator()).isEmpty();
    assertThat(caps.lister()).isEmpty();
    assertThat(caps.useRecorder()).isEmpty();
    assertThat(caps.localReads()).isEmpty();
  }

  @Test
  void of_coreOnlyStore_offersNone() {
    StoreCapabilities caps = StoreCapabilities.of(new CoreStore());

    for (Class<?> capability : StoreCapabilities.optional()) {
      assertThat(caps.has(capability)).as(capability.getSimpleName()).isFalse();
    }
  }

  @Test
  void get_typeThatIsNoCapability_isRefused() {
    StoreCapabilities caps = StoreCapabilities.of(new TerminatingStore());

    assertThatThrownBy(() -> caps.get(Runnable.class)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> caps.without(UploadStore.class)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void without_removesOneCapability_andLeavesTheOriginalUnchanged() {
    StoreCapabilities caps = StoreCapabilities.of(new TerminatingStore());

    StoreCapabilities lacking = caps.without(Terminator.class);

    assertThat(lacking.terminator()).isEmpty();
    assertThat(lacking.store()).isSameAs(caps.store());
    assertThat(caps.terminator()).isPresent();
  }

  @Test
  void decorate_replacesAPresentCapability_andIgnoresAnAbsentOne() throws Exception {
    StoreCapabilities caps = StoreCapabilities.of(new TerminatingStore());
    List<UploadInfo> seen = new java.util.ArrayList<>();
    Terminator recording = seen::add;

    StoreCapabilities decorated =
        caps.decorate(Terminator.class, t -> recording)
            .decorate(Concatenator.class, c -> (target, partials) -> target);

    assertThat(decorated.terminator()).containsSame(recording);
    assertThat(decorated.concatenator()).isEmpty();
    assertThat(caps.terminator()).containsSame((Terminator) caps.store());
  }

  @Test
  void withStore_keepsTheCapabilities() {
    StoreCapabilities caps = StoreCapabilities.of(new TerminatingStore());
    CoreStore other = new CoreStore();

    StoreCapabilities moved = caps.withStore(other);

    assertThat(moved.store()).isSameAs(other);
    assertThat(moved.terminator()).containsSame((Terminator) caps.store());
  }

  /** Only the required core. */
  private static class CoreStore implements UploadStore {
    @Override public UploadInfo create(UploadInfo draft) { return draft; }
    @Override public Optional<UploadInfo> find(UploadId id) { return Optional.empty(); }
    @Override public UploadInfo update(UploadInfo info) { return info; }
    @Override public AppendSession openAppend(UploadInfo info, boolean provisional) { throw new UnsupportedOperationException(); }
    @Override public ReadableByteChannel openRead(UploadInfo info, long position, long length) { throw new UnsupportedOperationException(); }
    @Override public void probe() {}
  }

  /** The core and termination. */
  private static final class TerminatingStore extends CoreStore implements Terminator {
    @Override public void terminate(UploadInfo info) throws IOException {}
  }
}
