package dev.tusk.store.s3;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Helpers shared by the S3-specific tests. */
final class S3TestSupport {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final int MIB = 1024 * 1024;

  private S3TestSupport() {}

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static UploadInfo draft(OptionalLong length) {
    return UploadInfo.draft(
        UploadId.random(), length, Map.of("filename", "a.bin"), NOW, NOW.plus(Duration.ofDays(1)));
  }

  /** Appends {@code data[from, to)} in one session, in chunks, and commits. */
  static UploadInfo append(S3UploadStore store, UploadInfo info, byte[] data, int from, int to)
      throws IOException {
    try (AppendSession session = store.openAppend(info, false)) {
      for (int i = from; i < to; i += 256 * 1024) {
        session.write(ByteBuffer.wrap(data, i, Math.min(256 * 1024, to - i)));
      }
      return session.commit();
    }
  }

  static byte[] read(S3UploadStore store, UploadInfo info, long position, long length)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReadableByteChannel ch = store.openRead(info, position, length)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      int n;
      while ((n = ch.read(buf.clear())) >= 0) {
        out.write(buf.array(), 0, n);
      }
    }
    return out.toByteArray();
  }

  /**
   * Every object key under {@code prefix} but the expiry index's ({@code .expiry/}, which {@link
   * S3ExpiryIndexTest} and the store contract look at).
   */
  static List<String> keys(String prefix) {
    return S3ProxyFixture.shared()
        .client()
        .listObjectsV2Paginator(r -> r.bucket(S3ProxyFixture.BUCKET).prefix(prefix))
        .contents()
        .stream()
        .map(S3Object::key)
        .filter(key -> !key.contains("/" + S3Layout.EXPIRY))
        .toList();
  }

  /** The keys of every multipart upload in progress under {@code prefix}. */
  static List<String> multipartUploads(String prefix) {
    return S3ProxyFixture.shared()
        .client()
        .listMultipartUploads(r -> r.bucket(S3ProxyFixture.BUCKET).prefix(prefix))
        .uploads()
        .stream()
        .map(MultipartUpload::key)
        .toList();
  }

  /** The user metadata and size of the .part object. */
  static Map<String, String> tailMetadata(S3StoreConfig config, UploadId id) {
    return S3ProxyFixture.shared()
        .client()
        .headObject(r -> r.bucket(S3ProxyFixture.BUCKET).key(config.keyPrefix() + id + ".part"))
        .metadata();
  }
}
