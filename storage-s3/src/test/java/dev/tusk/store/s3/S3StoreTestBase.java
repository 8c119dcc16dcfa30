package dev.tusk.store.s3;

import dev.tusk.core.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Creates stores on the shared S3Proxy and closes them after each test. */
abstract class S3StoreTestBase {
  protected final MutableClock clock = new MutableClock(S3TestSupport.NOW);
  private final List<S3UploadStore> stores = new ArrayList<>();
  @TempDir protected Path temp;

  /** A fresh prefix and temp directory. */
  protected S3StoreConfig config() {
    return S3ProxyFixture.shared().config(temp.resolve("store-" + stores.size()));
  }

  protected S3UploadStore open(S3StoreConfig config) throws IOException {
    return open(S3UploadStore.create(config, clock));
  }

  /** Closes {@code store} after the test. */
  protected S3UploadStore open(S3UploadStore store) {
    stores.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    stores.forEach(S3UploadStore::close);
  }
}
