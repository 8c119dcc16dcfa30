package dev.tusk.store.fs;

/** Everything {@link FsUploadStoreTest} proves, with fsync on (forces data, files, directory). */
class FsUploadStoreFsyncTest extends FsUploadStoreTest {
  @Override
  boolean fsync() {
    return true;
  }
}
