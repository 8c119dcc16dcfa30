package dev.tusk.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadId;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared read channels of complete uploads: one open file, many independent readers. */
class OpenFilesTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));
  private final OpenFiles files = new OpenFiles(clock);
  private final UploadId id = UploadId.random();
  private final byte[] bytes = new byte[100_000];
  private Path path;

  @BeforeEach
  void writeFile() throws Exception {
    new Random(7).nextBytes(bytes);
    path = Files.write(dir.resolve(id.value()), bytes);
  }

  private static byte[] readAll(FileChannel channel, int count) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(count);
    while (buffer.hasRemaining() && channel.read(buffer) > 0) {
      // keep reading
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  @Test
  void twoReaders_shareOneFile_eachWithItsOwnPosition() throws Exception {
    try (FileChannel a = files.open(id, path, 10); FileChannel b = files.open(id, path, 50_000)) {
      assertThat(files.held()).isEqualTo(1);
      assertThat(readAll(a, 1_000)).isEqualTo(Arrays.copyOfRange(bytes, 10, 1_010));
      assertThat(readAll(b, 1_000)).isEqualTo(Arrays.copyOfRange(bytes, 50_000, 51_000));
      assertThat(a.position()).isEqualTo(1_010);
      assertThat(b.position()).isEqualTo(51_000);
      assertThat(a.size()).isEqualTo(bytes.length);
      assertThat(readAll(a.position(99_990), 100)).isEqualTo(Arrays.copyOfRange(bytes, 99_990, 100_000));
    }
  }

  @Test
  void transferTo_sendsTheRequestedSlice() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FileChannel view = files.open(id, path, 0)) {
      long sent = 0;
      while (sent < 4_096) {
        sent += view.transferTo(70_000 + sent, 4_096 - sent, Channels.newChannel(out));
      }
      assertThat(view.position()).as("positional: the view's position stays").isZero();
    }
    assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 70_000, 74_096));
  }

  @Test
  void closingAView_keepsTheSharedFileForTheNext_butTheViewItselfIsClosed() throws Exception {
    FileChannel first = files.open(id, path, 0);
    first.close();
    assertThatThrownBy(() -> first.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
    try (FileChannel second = files.open(id, path, 5)) {
      assertThat(readAll(second, 5)).isEqualTo(Arrays.copyOfRange(bytes, 5, 10));
    }
    assertThat(files.held()).isEqualTo(1);
  }

  @Test
  void forget_whileReading_theReaderFinishes_thenTheFileIsClosed() throws Exception {
    FileChannel reader = files.open(id, path, 0);
    files.forget(id);
    assertThat(files.held()).isZero();
    Files.delete(path); // as termination does
    assertThat(readAll(reader, bytes.length)).as("an open file outlives its name").isEqualTo(bytes);
    reader.close();
    assertThatThrownBy(() -> files.open(id, path, 0)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void forget_closesTheSharedFileOnceItsLastReaderCloses() throws Exception {
    FileChannel a = files.open(id, path, 0);
    FileChannel b = files.open(id, path, 0);
    OpenFiles.Shared shared = ((OpenFiles.View) a).shared();
    files.forget(id);
    a.close();
    assertThat(shared.isOpen()).isTrue();
    b.close();
    assertThat(shared.isOpen()).isFalse();
  }

  @Test
  void aSharedFileClosedByAnInterrupt_isReplacedAtTheNextOpen() throws Exception {
    FileChannel victim = files.open(id, path, 0);
    OpenFiles.Shared before = ((OpenFiles.View) victim).shared();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> victim.read(ByteBuffer.allocate(10)))
          .isInstanceOf(ClosedByInterruptException.class);
    } finally {
      Thread.interrupted();
      victim.close();
    }
    assertThat(before.isOpen()).as("an interrupt closes a FileChannel for every user").isFalse();
    try (FileChannel next = files.open(id, path, 20)) {
      assertThat(((OpenFiles.View) next).shared()).isNotSameAs(before);
      assertThat(readAll(next, 10)).isEqualTo(Arrays.copyOfRange(bytes, 20, 30));
    }
  }

  @Test
  void anIdleFile_isClosedAfterTenSecondsOnTheClock_butNotWhileRead() throws Exception {
    FileChannel reader = files.open(id, path, 0);
    OpenFiles.Shared shared = ((OpenFiles.View) reader).shared();
    clock.advance(Duration.ofSeconds(OpenFiles.IDLE_SECONDS + 1));
    assertThat(files.held()).as("expired from the cache").isZero();
    assertThat(shared.isOpen()).as("a reader still holds it").isTrue();
    assertThat(readAll(reader, 10)).isEqualTo(Arrays.copyOf(bytes, 10));
    reader.close();
    assertThat(shared.isOpen()).isFalse();
    try (FileChannel next = files.open(id, path, 0)) {
      clock.advance(Duration.ofSeconds(OpenFiles.IDLE_SECONDS - 1));
      assertThat(files.held()).as("used within the idle time").isEqualTo(1);
    }
  }

  @Test
  void aView_writesNothing() throws Exception {
    try (FileChannel view = files.open(id, path, 0)) {
      assertThatThrownBy(() -> view.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
      assertThatThrownBy(() -> view.truncate(0)).isInstanceOf(NonWritableChannelException.class);
    }
    assertThat(Files.readAllBytes(path)).isEqualTo(bytes);
  }

  @Test
  void scatteringRead_fillsBuffersInOrder_andReportsTheEnd() throws Exception {
    try (FileChannel view = files.open(id, path, 99_990)) {
      ByteBuffer a = ByteBuffer.allocate(4);
      ByteBuffer b = ByteBuffer.allocate(20);
      assertThat(view.read(new ByteBuffer[] {a, b})).isEqualTo(10);
      assertThat(a.array()).isEqualTo(Arrays.copyOfRange(bytes, 99_990, 99_994));
      assertThat(Arrays.copyOf(b.array(), 6)).isEqualTo(Arrays.copyOfRange(bytes, 99_994, 100_000));
      assertThat(view.read(new ByteBuffer[] {ByteBuffer.allocate(1)})).isEqualTo(-1);
      assertThat(view.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }
}
