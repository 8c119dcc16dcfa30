package dev.tusk.store.s3;

import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UploadInfoJson;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/** The {@code .info} objects. Thread-safe; every method blocks on S3. */
final class InfoStore {
  private final S3Objects objects;
  private final S3Layout layout;

  InfoStore(S3Objects objects, S3Layout layout) {
    this.objects = objects;
    this.layout = layout;
  }

  /** The stored info (its offset is only a hint), empty if none; IOException if corrupt. */
  Optional<UploadInfo> read(UploadId id) throws IOException {
    Optional<byte[]> json = objects.getBytes(layout.infoKey(id));
    if (json.isEmpty()) {
      return Optional.empty();
    }
    UploadInfo info = UploadInfoJson.read(json.get());
    if (!info.id().equals(id)) {
      throw new IOException("corrupt upload info " + layout.infoKey(id) + ": names " + info.id());
    }
    return Optional.of(info);
  }

  void write(UploadInfo info) throws IOException {
    objects.put(
        layout.infoKey(info.id()), RequestBody.fromBytes(UploadInfoJson.write(info)), Map.of());
  }

  /**
   * Writes a new info unless one exists. A PUT retried by the SDK can answer 412 because its own
   * first attempt succeeded (FINDINGS); the {@link S3Layout#TOKEN} in {@code info.storage()} tells
   * our write from someone else's.
   *
   * @return false if another upload has this id
   */
  boolean createIfAbsent(UploadInfo info) throws IOException {
    if (objects.putIfAbsent(layout.infoKey(info.id()), UploadInfoJson.write(info))) {
      return true;
    }
    String ours = info.storage().get(S3Layout.TOKEN);
    Optional<UploadInfo> stored = read(info.id());
    return stored.isPresent() && Objects.equals(stored.get().storage().get(S3Layout.TOKEN), ours);
  }

  static boolean isComplete(UploadInfo stored) {
    return S3Layout.COMPLETE.equals(stored.storage().get(S3Layout.STATE));
  }
}
