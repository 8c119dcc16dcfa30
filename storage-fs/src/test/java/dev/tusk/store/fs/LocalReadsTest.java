package dev.tusk.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which file systems count as local, so that downloads may be served on an I/O thread. */
class LocalReadsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "apfs", "EXT4", "NTFS"})
  void diskAndMemoryFileSystems_areLocal(String type) {
    assertThat(FsLayout.isLocalType(type)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "fuse.s3fs", "9p", "ceph", "glusterfs", "", "unknown"})
  void networkFuseAndUnknownFileSystems_areNot(String type) {
    assertThat(FsLayout.isLocalType(type)).isFalse();
  }

  @Test
  void noType_isNotLocal() {
    assertThat(FsLayout.isLocalType(null)).isFalse();
  }

  @Test
  void store_reportsWhatItsDirectoryIsOn() throws Exception {
    FsUploadStore store = new FsUploadStore(dir, Clock.systemUTC());
    String type = Files.getFileStore(dir).type();
    assertThat(store.readsAreLocal()).as("file system type %s", type).isEqualTo(FsLayout.isLocalType(type));
  }

  @Test
  void missingDirectory_isNotLocal() {
    assertThat(FsLayout.isLocal(dir.resolve("gone"))).isFalse();
  }
}
