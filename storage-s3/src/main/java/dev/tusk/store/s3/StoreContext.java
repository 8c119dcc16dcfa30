package dev.tusk.store.s3;

import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.time.Clock;

/** The parts of one {@link S3UploadStore} that its helpers share. All thread-safe. */
record StoreContext(
    S3StoreConfig config,
    S3Layout layout,
    S3Objects objects,
    S3Multipart multipart,
    InfoStore infos,
    TailStore tails,
    PartUploader uploader,
    UploadStateCache cache,
    S3ExpiryIndex expiry,
    Clock clock) {

  /** The part size of {@code info}'s multipart upload (see {@link PartSizing#partSize}). */
  long partSize(UploadInfo info) {
    return PartSizing.partSize(config.partSize(), sizeLimit(info));
  }

  /** The upload's length, or the maximum upload size while it is deferred. */
  long sizeLimit(UploadInfo info) {
    return info.length().orElse(config.maxUploadSize());
  }

  static String uploadId(UploadInfo info) throws IOException {
    String uploadId = info.storage().get(S3Layout.UPLOAD_ID);
    if (uploadId == null) {
      throw new IOException("upload " + info.id() + " has no multipart upload id");
    }
    return uploadId;
  }
}
