package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3Calls.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Plain object requests on one bucket, with 404 as {@code Optional.empty()}. Thread-safe. */
final class S3Objects {
  private final S3Client s3;
  private final String bucket;

  S3Objects(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  Optional<byte[]> getBytes(String key) throws IOException {
    try {
      return Optional.of(
          call("GET " + key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).overrideConfiguration(S3Calls::bound)))
              .asByteArray());
    } catch (IOException e) {
      if (S3Calls.isNotFound(e.getCause())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Bytes {@code [from, from + length)} of {@code key}; {@code length} must be positive. */
  ResponseInputStream<GetObjectResponse> getRange(String key, long from, long length)
      throws IOException {
    String range = "bytes=" + from + "-" + (from + length - 1);
    return call(
        "GET " + key + " " + range,
        () -> s3.getObject(r -> r.bucket(bucket).key(key).range(range).overrideConfiguration(S3Calls::bound)));
  }

  Optional<HeadObjectResponse> head(String key) throws IOException {
    try {
      return Optional.of(call("HEAD " + key, () -> s3.headObject(r -> r.bucket(bucket).key(key).overrideConfiguration(S3Calls::bound))));
    } catch (IOException e) {
      if (S3Calls.isNotFound(e.getCause())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  void put(String key, RequestBody body, Map<String, String> metadata) throws IOException {
    call("PUT " + key, () -> s3.putObject(
            r -> r.bucket(bucket).key(key).metadata(metadata).overrideConfiguration(S3Calls::bound),
            body));
  }

  /** PUT with {@code If-None-Match: *}; false if the key exists (412). */
  boolean putIfAbsent(String key, byte[] body) throws IOException {
    try {
      call(
          "PUT " + key + " If-None-Match",
          () ->
              s3.putObject(
                  r -> r.bucket(bucket).key(key).ifNoneMatch("*").overrideConfiguration(S3Calls::bound),
                  RequestBody.fromBytes(body)));
      return true;
    } catch (IOException e) {
      if (S3Calls.isPreconditionFailed(e.getCause())) {
        return false;
      }
      throw e;
    }
  }

  void delete(String key) throws IOException {
    call("DELETE " + key, () -> s3.deleteObject(r -> r.bucket(bucket).key(key).overrideConfiguration(S3Calls::bound)));
  }

  /** Deletes every key in one request; missing keys are fine. */
  void deleteAll(List<String> keys) throws IOException {
    List<ObjectIdentifier> ids =
        keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
    DeleteObjectsResponse response =
        call(
            "DELETE " + keys,
            () -> s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.quiet(true).objects(ids)).overrideConfiguration(S3Calls::bound)));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      throw new IOException("DELETE " + keys + " failed: " + response.errors());
    }
  }

  /**
   * Every key under {@code prefix}, fetched lazily page by page; iterating may throw {@link
   * UncheckedIOException}.
   */
  Stream<String> keys(String prefix) {
    return keys(prefix, false);
  }

  /**
   * The keys directly under {@code prefix}: those with no {@code /} after it (delimiter {@code
   * /}), so the objects of "folders" below it are neither listed nor paid for, fetched lazily page
   * by page; iterating may throw {@link UncheckedIOException}.
   */
  Stream<String> keysDirectlyUnder(String prefix) {
    return keys(prefix, true);
  }

  private Stream<String> keys(String prefix, boolean delimited) {
    Iterator<S3Object> objects =
        s3.listObjectsV2Paginator(
                r -> {
                  r.bucket(bucket).prefix(prefix);
                  if (delimited) {
                    r.delimiter("/");
                  }
                })
            .contents()
            .iterator();
    Iterator<String> keys =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            try {
              return objects.hasNext();
            } catch (SdkException e) {
              throw new UncheckedIOException(new IOException("LIST " + prefix + " failed", e));
            }
          }

          @Override
          public String next() {
            return objects.next().key();
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(keys, Spliterator.ORDERED), false);
  }

  /**
   * The common prefixes directly under {@code prefix} (delimiter {@code /}), in key order, fetched
   * lazily page by page: a consumer that stops early sends no further LIST.
   */
  Stream<String> prefixes(String prefix) {
    Iterator<software.amazon.awssdk.services.s3.model.CommonPrefix> pages =
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix).delimiter("/"))
            .commonPrefixes()
            .iterator();
    Iterator<String> names =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            try {
              return pages.hasNext();
            } catch (SdkException e) {
              throw new UncheckedIOException(new IOException("LIST " + prefix + "/ failed", e));
            }
          }

          @Override
          public String next() {
            return pages.next().prefix();
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(names, Spliterator.ORDERED), false);
  }

  void headBucket() throws IOException {
    call("HEAD bucket " + bucket, () -> s3.headBucket(r -> r.bucket(bucket).overrideConfiguration(S3Calls::bound)));
  }
}
