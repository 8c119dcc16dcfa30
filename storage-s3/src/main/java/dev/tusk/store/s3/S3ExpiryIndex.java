package dev.tusk.store.s3;

import dev.tusk.core.ExpiryEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The expiry index in the bucket: an empty object {@code <infoPrefix>.expiry/<bucket>/<id>} per
 * upload that expires ({@link S3Layout#markerKey}). S3 lists keys in order and bucket names sort in
 * time order, so the due buckets are the first common prefixes of one delimited LIST, which stops
 * at the first bucket that has not begun: a sweep with nothing due sends one LIST request, however many
 * uploads are stored. Each due bucket then costs one LIST per 1,000 markers. Thread-safe; blocks on
 * S3.
 */
final class S3ExpiryIndex {
  private final S3Objects objects;
  private final S3Layout layout;

  S3ExpiryIndex(S3Objects objects, S3Layout layout) {
    this.objects = objects;
    this.layout = layout;
  }

  /** One PUT of an empty object; writing it again is harmless. */
  void add(ExpiryEntry entry) throws IOException {
    objects.put(layout.markerKey(entry), RequestBody.empty(), Map.of());
  }

  void remove(ExpiryEntry entry) throws IOException {
    objects.delete(layout.markerKey(entry));
  }

  Stream<ExpiryEntry> due(Instant now) {
    return objects
        .prefixes(layout.expiryPrefix())
        .map(layout::bucketOfPrefix)
        .flatMap(Optional::stream)
        .takeWhile(bucket -> ExpiryEntry.isDue(bucket, now))
        .flatMap(
            bucket ->
                objects
                    .keys(layout.bucketPrefix(bucket))
                    .map(layout::entryOfMarkerKey)
                    .flatMap(Optional::stream));
  }

  Stream<ExpiryEntry> entries() {
    return objects
        .keys(layout.expiryPrefix())
        .map(layout::entryOfMarkerKey)
        .flatMap(Optional::stream);
  }
}
