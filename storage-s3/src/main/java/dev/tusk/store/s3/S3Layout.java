package dev.tusk.store.s3;

import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.UploadId;
import java.util.Optional;

/**
 * Where an upload's objects live, and the store-private keys kept in {@link
 * dev.tusk.core.UploadInfo#storage()}.
 *
 * <ul>
 *   <li>{@code <prefix><id>}: the data; a multipart upload until complete, then the object
 *   <li>{@code <infoPrefix><id>.info}: the {@link dev.tusk.core.UploadInfoJson} document
 *   <li>{@code <infoPrefix><id>.part}: the tail below the minimum part size, whose user metadata is
 *       also the commit record ({@link TailRecord})
 *   <li>{@code <infoPrefix><id>.used}: the record that the id was handed out once ({@link
 *       dev.tusk.core.UseRecorder}); outlives the upload
 *   <li>{@code <infoPrefix>.expiry/<bucket>/<id>}: the empty marker of the upload's entry in the
 *       expiry index ({@link S3ExpiryIndex}); {@code <bucket>} is the UTC minute it expires in
 * </ul>
 *
 * Ids never contain {@code .} or {@code /} and never start with one, so the keys cannot collide.
 */
record S3Layout(String prefix, String infoPrefix) {
  static final String INFO_SUFFIX = ".info";
  static final String TAIL_SUFFIX = ".part";
  static final String USED_SUFFIX = ".used";
  static final String EXPIRY = ".expiry/";

  /** The multipart upload id of an incomplete upload. */
  static final String UPLOAD_ID = "s3.uploadId";

  /** {@value #COMPLETE} once the object {@code <prefix><id>} holds every byte. */
  static final String STATE = "s3.state";

  static final String COMPLETE = "complete";

  /** A random value per create call, to recognise our own write when a retried PUT gets 412. */
  static final String TOKEN = "s3.createToken";

  String dataKey(UploadId id) {
    return prefix + id.value();
  }

  String infoKey(UploadId id) {
    return infoPrefix + id.value() + INFO_SUFFIX;
  }

  String tailKey(UploadId id) {
    return infoPrefix + id.value() + TAIL_SUFFIX;
  }

  String usedKey(UploadId id) {
    return infoPrefix + id.value() + USED_SUFFIX;
  }

  /** The prefix under which every expiry bucket lies. */
  String expiryPrefix() {
    return infoPrefix + EXPIRY;
  }

  /** The prefix of one expiry bucket's markers. */
  String bucketPrefix(java.time.Instant bucket) {
    return expiryPrefix() + ExpiryEntry.bucketName(bucket) + "/";
  }

  String markerKey(ExpiryEntry entry) {
    return bucketPrefix(entry.bucket()) + entry.id().value();
  }

  /** The bucket named by a common prefix from a listing of {@link #expiryPrefix}, if it is one. */
  Optional<java.time.Instant> bucketOfPrefix(String prefix) {
    if (!prefix.startsWith(expiryPrefix()) || !prefix.endsWith("/")) {
      return Optional.empty();
    }
    return ExpiryEntry.parseBucket(prefix.substring(expiryPrefix().length(), prefix.length() - 1));
  }

  /** The entry named by a marker key from a listing of {@link #expiryPrefix}, if it is one. */
  Optional<ExpiryEntry> entryOfMarkerKey(String key) {
    if (!key.startsWith(expiryPrefix())) {
      return Optional.empty();
    }
    String rest = key.substring(expiryPrefix().length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    Optional<java.time.Instant> bucket = ExpiryEntry.parseBucket(rest.substring(0, slash));
    Optional<UploadId> id = UploadId.parse(rest.substring(slash + 1));
    return bucket.isPresent() && id.isPresent()
        ? Optional.of(new ExpiryEntry(id.get(), bucket.get()))
        : Optional.empty();
  }

  /** The id named by an info key from a listing of {@link #infoPrefix}, if it is one. */
  Optional<UploadId> idOfInfoKey(String key) {
    if (!key.startsWith(infoPrefix) || !key.endsWith(INFO_SUFFIX)) {
      return Optional.empty();
    }
    return UploadId.parse(key.substring(infoPrefix.length(), key.length() - INFO_SUFFIX.length()));
  }
}
