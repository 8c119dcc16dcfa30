package dev.tusk.store.s3;

import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadStore;
import dev.tusk.core.UploadStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract against S3Proxy, one fresh key prefix and temp directory per test. */
class S3UploadStoreTest extends UploadStoreContract {
  private final List<S3UploadStore> stores = new ArrayList<>();
  @TempDir Path temp;

  @Override
  protected UploadStore newStore() throws Exception {
    Path dir = temp.resolve("store-" + stores.size());
    S3UploadStore store =
        S3UploadStore.create(S3ProxyFixture.shared().config(dir), new MutableClock(NOW));
    stores.add(store);
    return store;
  }

  /** Two full 5 MiB parts and a tail that is neither aligned nor tiny. */
  @Override
  protected int largeUploadSize() {
    return (int) (2 * S3ProxyFixture.PART_SIZE + 2 * 1024 * 1024 + 12_345);
  }

  @AfterEach
  void closeStores() {
    stores.forEach(S3UploadStore::close);
  }
}
