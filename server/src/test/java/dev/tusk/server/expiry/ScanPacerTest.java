package dev.tusk.server.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ScanPacer} over a fake clock that each item advances by a fixed cost. */
class ScanPacerTest {
  private long now;
  private final List<Long> rests = new ArrayList<>();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private ScanPacer pacer(double share, long stretch) {
    return new ScanPacer(share, stretch, () -> now, nanos -> {
      rests.add(nanos);
      now += nanos;
    });
  }

  /** Runs {@code items} ticks, each costing {@code cost} ns of work; returns the wall time. */
  private long scan(ScanPacer pacer, int items, long cost) throws InterruptedIOException {
    long start = now;
    for (int i = 0; i < items; i++) {
      now += cost;
      pacer.tick();
    }
    return now - start;
  }

  @Test
  void keepsTheWorkToItsShareOfTheWallTime() throws InterruptedIOException {
    // 100,000 items of 10 µs each: 1 s of work, rested in stretches of 50 ms
    long wall = scan(pacer(0.2, 50_000_000L), 100_000, 10_000);

    long worked = 1_000_000_000L;
    assertThat((double) worked / wall).isBetween(0.19, 0.21);
    assertThat(rests).hasSizeBetween(19, 20);
    // each rest is four times the stretch of work before it (share 0.2), which ends at a look
    assertThat(rests).allSatisfy(r -> assertThat(r).isBetween(200_000_000L, 211_000_000L));
  }

  @Test
  void aShortScanNeverRests() throws InterruptedIOException {
    scan(pacer(0.2, 50_000_000L), 1_000, 10_000); // 10 ms of work

    assertThat(rests).isEmpty();
  }

  @Test
  void anUnpacedScanNeverRests() throws InterruptedIOException {
    ScanPacer unpaced = ScanPacer.unpaced();
    for (int i = 0; i < 10 * ScanPacer.ITEMS_PER_LOOK; i++) {
      unpaced.tick();
    }
    assertThat(rests).isEmpty();
  }

  @Test
  void anInterruptedRestEndsTheScanAndKeepsTheFlag() {
    ScanPacer pacer = new ScanPacer(0.5, 1, () -> now += 1_000, nanos -> {
      throw new InterruptedException();
    });

    assertThatThrownBy(() -> {
      for (int i = 0; i < ScanPacer.ITEMS_PER_LOOK; i++) {
        pacer.tick();
      }
    }).isInstanceOf(InterruptedIOException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void rejectsAShareOutsideZeroToOne() {
    assertThatThrownBy(() -> pacer(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pacer(1.5, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pacer(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
