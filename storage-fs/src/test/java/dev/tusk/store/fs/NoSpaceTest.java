package dev.tusk.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoSpaceTest {
  @TempDir Path dir;

  @Test
  void isFull_enospcOrQuotaText_isFull() {
    assertThat(NoSpace.isFull(dir, new IOException("No space left on device"))).isTrue();
    assertThat(NoSpace.isFull(dir, new FileSystemException("/x/y", null, "No space left on device")))
        .isTrue();
    assertThat(NoSpace.isFull(dir, new IOException("Disk quota exceeded"))).isTrue();
    assertThat(NoSpace.isFull(dir, new IOException("wrapped", new IOException("No space left on device"))))
        .isTrue();
  }

  @Test
  void isFull_otherFailureWithSpaceLeft_isNotFull() {
    assertThat(NoSpace.isFull(dir, new IOException("Input/output error"))).isFalse();
    assertThat(NoSpace.isFull(dir, new FileAlreadyExistsException("No space left on device")))
        .as("a failure that names another cause").isFalse();
  }

  @Test
  void check_full_throwsStorageFullWithoutThePath() {
    IOException enospc = new FileSystemException(dir.resolve("f").toString(), null, "No space left on device");
    assertThatThrownBy(() -> NoSpace.check(dir, enospc))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FULL);
          assertThat(e.status()).isEqualTo(507);
          assertThat(e.detail()).contains("full").doesNotContain(dir.toString());
          assertThat(e.getCause()).isSameAs(enospc);
        });
  }

  @Test
  void check_otherFailure_returnsIt() {
    IOException eio = new IOException("Input/output error");
    assertThat(NoSpace.check(dir, eio)).isSameAs(eio);
  }
}
