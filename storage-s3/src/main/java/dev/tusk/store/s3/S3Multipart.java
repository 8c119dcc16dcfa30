package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3Calls.call;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Multipart-upload requests on one bucket. A part upload or copy may take the call timeout once
 * per started 8 MiB; a part streamed while its bytes arrive is bounded by its source stalling
 * instead. Thread-safe; every method blocks on S3.
 */
final class S3Multipart {
  /** A part upload may take the call timeout once per this many bytes. */
  static final long TIMED_BYTES = 8L * 1024 * 1024;

  /** The bound of a part streamed while its bytes arrive: the client's pace decides. */
  private static final Duration STREAMED = Duration.ofDays(1);

  private final S3Client s3;
  private final String bucket;
  private final Duration callTimeout;

  S3Multipart(S3Client s3, String bucket, Duration callTimeout) {
    this.s3 = s3;
    this.bucket = bucket;
    this.callTimeout = callTimeout;
  }

  /** The call timeout once per started {@link #TIMED_BYTES} of {@code size}. */
  Duration partTimeout(long size) {
    return callTimeout.multipliedBy(Math.max(1, (size + TIMED_BYTES - 1) / TIMED_BYTES));
  }

  String create(String key) throws IOException {
    return call(
            "CreateMultipartUpload " + key,
            () -> s3.createMultipartUpload(
                r -> r.bucket(bucket).key(key).overrideConfiguration(S3Calls::bound)))
        .uploadId();
  }

  /** Uploads the first {@code size} bytes of {@code file} as part {@code number}. */
  PartRef uploadPart(String key, String uploadId, int number, Path file, long size)
      throws IOException {
    return uploadPart(
        key, uploadId, number, size == 0 ? RequestBody.empty() : RequestBody.fromFile(file), size,
        partTimeout(size));
  }

  /**
   * Uploads {@code size} bytes of {@code body} as part {@code number}; the SDK asks it for a new
   * stream per attempt.
   */
  PartRef uploadPart(
      String key, String uploadId, int number, ContentStreamProvider body, long size)
      throws IOException {
    return uploadPart(
        key, uploadId, number,
        RequestBody.fromContentProvider(body, size, "application/octet-stream"), size, STREAMED);
  }

  private PartRef uploadPart(
      String key, String uploadId, int number, RequestBody body, long size, Duration timeout)
      throws IOException {
    String etag =
        call(
                "UploadPart " + key + " #" + number,
                () ->
                    s3.uploadPart(
                        r ->
                            r.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(number)
                                .contentLength(size)
                                .overrideConfiguration(o -> o.apiCallTimeout(timeout)),
                        body))
            .eTag();
    return new PartRef(number, etag, size);
  }

  /** Copies bytes {@code [from, from + length)} of {@code sourceKey} into part {@code number}. */
  PartRef copyPart(
      String key, String uploadId, int number, String sourceKey, long from, long length)
      throws IOException {
    String range = "bytes=" + from + "-" + (from + length - 1);
    String etag =
        call(
                "UploadPartCopy " + key + " #" + number + " from " + sourceKey + " " + range,
                () ->
                    s3.uploadPartCopy(
                        r ->
                            r.sourceBucket(bucket)
                                .sourceKey(sourceKey)
                                .copySourceRange(range)
                                .destinationBucket(bucket)
                                .destinationKey(key)
                                .uploadId(uploadId)
                                .partNumber(number)
                                .overrideConfiguration(o -> o.apiCallTimeout(partTimeout(length)))))
            .copyPartResult()
            .eTag();
    return new PartRef(number, etag, length);
  }

  /** Every uploaded part in number order; empty if the multipart upload is gone (NoSuchUpload). */
  Optional<List<PartRef>> listParts(String key, String uploadId) throws IOException {
    try {
      List<PartRef> parts = new ArrayList<>();
      call(
          "ListParts " + key,
          () -> {
            for (Part p :
                s3.listPartsPaginator(
                        r ->
                            r.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .overrideConfiguration(S3Calls::bound))
                    .parts()) {
              parts.add(new PartRef(p.partNumber(), p.eTag(), p.size()));
            }
            return parts;
          });
      parts.sort(Comparator.comparingInt(PartRef::number));
      return Optional.of(parts);
    } catch (IOException e) {
      if (S3Calls.isNotFound(e.getCause())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Completes the upload with {@code parts}; false if it is gone (NoSuchUpload). */
  boolean complete(String key, String uploadId, List<PartRef> parts) throws IOException {
    List<CompletedPart> completed =
        parts.stream()
            .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build())
            .toList();
    try {
      call(
          "CompleteMultipartUpload " + key,
          () ->
              s3.completeMultipartUpload(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(completed))
                          .overrideConfiguration(S3Calls::bound)));
      return true;
    } catch (IOException e) {
      if (S3Calls.isNotFound(e.getCause())) {
        return false;
      }
      throw e;
    }
  }

  /** Aborts the upload; an upload that is already gone is fine. */
  void abort(String key, String uploadId) throws IOException {
    try {
      call(
          "AbortMultipartUpload " + key,
          () -> s3.abortMultipartUpload(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .overrideConfiguration(S3Calls::bound)));
    } catch (IOException e) {
      if (!S3Calls.isNotFound(e.getCause())) {
        throw e;
      }
    }
  }
}
