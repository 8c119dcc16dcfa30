package dev.tusk.conformance;

import dev.tusk.core.UploadStore;
import dev.tusk.store.fs.FsUploadStore;
import dev.tusk.store.s3.S3ProxyFixture;
import dev.tusk.store.s3.S3UploadStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The store the whole suite runs against, chosen by the system property {@code tusk.store}
 * (one failsafe execution per store). Every conformance test must pass on every kind.
 */
public enum StoreKind {
  FS {
    @Override
    public UploadStore create(Path scratch, Clock clock) throws Exception {
      return new FsUploadStore(scratch.resolve("uploads"), clock);
    }
  },
  /** S3Proxy in the test JVM, a fresh key prefix per scratch directory. */
  S3 {
    @Override
    public UploadStore create(Path scratch, Clock clock) throws Exception {
      Path temp = java.nio.file.Files.createDirectories(scratch.resolve("s3-temp"));
      Path named = scratch.resolve("s3-prefix");
      if (!java.nio.file.Files.exists(named)) {
        java.nio.file.Files.writeString(named, "t-" + java.util.UUID.randomUUID() + "/");
      }
      return S3UploadStore.create(
          S3ProxyFixture.shared().config(temp).toBuilder()
              .keyPrefix(java.nio.file.Files.readString(named))
              .build(),
          clock);
    }
  };

  /**
   * The store of {@code scratch}, a private temporary directory: fresh and empty the first time,
   * the same data again when called with the same directory (a restarted server).
   */
  public abstract UploadStore create(Path scratch, Clock clock) throws Exception;

  public static StoreKind current() {
    return valueOf(System.getProperty("tusk.store", "fs").toUpperCase(java.util.Locale.ROOT));
  }
}
