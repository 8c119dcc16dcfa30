package dev.tusk.store.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of an {@link S3UploadStore}. Immutable; the constructor validates every value and
 * names the bad one in its {@link IllegalArgumentException}. Start from {@link #defaults(String)}
 * and change what differs with the {@code with*} methods.
 *
 * @param endpoint the S3 endpoint; empty for AWS S3 (derived from the region). Set it for MinIO,
 *     Ceph RGW, R2 ({@code https://<account>.r2.cloudflarestorage.com}) or S3Proxy
 * @param region the signing region ({@code auto} for R2, anything for most self-hosted servers)
 * @param bucket the bucket; it must exist
 * @param keyPrefix prepended to every key, e.g. {@code uploads/}; may be empty
 * @param infoPrefix prefix of the {@code .info} and {@code .part} objects if they should live apart
 *     from the data (so a lifecycle rule can target them); empty means {@code keyPrefix}
 * @param pathStyle {@code true} for path-style URLs ({@code endpoint/bucket/key}), which MinIO,
 *     Ceph RGW and S3Proxy usually need
 * @param credentials a static key; empty uses the SDK's default provider chain
 * @param checksumMode when request checksums are computed and response checksums validated
 * @param partSize the preferred multipart part size in bytes (at least 5 MiB, at most 5 GiB); an
 *     upload whose length (or, while deferred, {@code maxUploadSize}) would need more than 10,000
 *     parts uses larger parts
 * @param maxUploadSize the largest upload the server accepts (at most 5 TiB, the S3 object limit);
 *     sizes the parts of uploads with a deferred length
 * @param maxPartsInFlight how many parts one upload may have uploading at once; {@code write}
 *     blocks when the next part would exceed it
 * @param tempDir where parts are buffered; owned by this store: leftovers are deleted at start-up,
 *     so two stores (or processes) must not share it
 * @param tempBudget the most bytes all part buffers may reserve on {@code tempDir} together; at
 *     least the largest part size. Bounds disk use and, through waiting, concurrency
 * @param offsetCache cache each upload's info and offset in memory so HEAD needs no S3 request.
 *     Correct only when this process is the only writer of the prefix: in a fleet turn it off
 * @param callTimeout the longest the S3 requests of one store call (a {@code find}, a session's
 *     {@code commit}, ...) may take together, retries included; a store call that takes longer
 *     fails as unavailable. A part upload may take this long per 8 MiB of the part; a part
 *     streamed while its bytes arrive is bounded by the client's pace instead
 */
public record S3StoreConfig(
    Optional<URI> endpoint,
    String region,
    String bucket,
    String keyPrefix,
    Optional<String> infoPrefix,
    boolean pathStyle,
    Optional<S3Credentials> credentials,
    ChecksumMode checksumMode,
    long partSize,
    long maxUploadSize,
    int maxPartsInFlight,
    Path tempDir,
    long tempBudget,
    boolean offsetCache,
    Duration callTimeout) {

  /** The default of {@link #callTimeout()}. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

  static final long MIB = 1024L * 1024;

  /** The S3 minimum size of every part but the last. */
  public static final long MIN_PART_SIZE = 5 * MIB;

  /** The S3 maximum part size. */
  public static final long MAX_PART_SIZE = 5L * 1024 * MIB;

  /** The S3 maximum number of parts of one multipart upload. */
  public static final int MAX_PARTS = 10_000;

  /** The S3 maximum object size. */
  public static final long MAX_OBJECT_SIZE = 5L * 1024 * 1024 * MIB;

  public S3StoreConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(infoPrefix, "infoPrefix");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(checksumMode, "checksumMode");
    Objects.requireNonNull(tempDir, "tempDir");
    Objects.requireNonNull(callTimeout, "callTimeout");
    require(
        !callTimeout.isNegative() && !callTimeout.isZero(),
        "S3 call timeout must be positive, got " + callTimeout);
    require(region != null && !region.isBlank(), "S3 region must not be blank");
    require(bucket != null && !bucket.isBlank(), "S3 bucket must not be blank");
    requirePrefix("S3 key prefix", keyPrefix);
    infoPrefix.ifPresent(p -> requirePrefix("S3 info prefix", p));
    require(
        partSize >= MIN_PART_SIZE && partSize <= MAX_PART_SIZE,
        "S3 part size must be between 5 MiB and 5 GiB, got " + partSize);
    require(
        maxUploadSize > 0 && maxUploadSize <= MAX_OBJECT_SIZE,
        "S3 max upload size must be between 1 byte and 5 TiB, got " + maxUploadSize);
    require(maxPartsInFlight >= 1, "S3 max parts in flight must be >= 1, got " + maxPartsInFlight);
    long largest = PartSizing.partSize(partSize, maxUploadSize);
    require(
        tempBudget >= largest,
        "S3 temp budget must hold at least one part of " + largest + " bytes, got " + tempBudget);
  }

  /**
   * AWS S3 in {@code us-east-1}, default credentials, 16 MiB parts, 4 in flight per upload, a 1 GiB
   * temp budget under {@code java.io.tmpdir/tusk-s3}, uploads up to 5 TiB, cache on, 10 s per S3
   * request.
   */
  public static S3StoreConfig defaults(String bucket) {
    return new S3StoreConfig(
        Optional.empty(),
        "us-east-1",
        bucket,
        "",
        Optional.empty(),
        false,
        Optional.empty(),
        ChecksumMode.WHEN_SUPPORTED,
        16 * MIB,
        MAX_OBJECT_SIZE,
        4,
        Path.of(System.getProperty("java.io.tmpdir"), "tusk-s3"),
        1024 * MIB,
        true,
        DEFAULT_CALL_TIMEOUT);
  }

  /** The prefix of {@code .info} and {@code .part} objects. */
  public String effectiveInfoPrefix() {
    return infoPrefix.orElse(keyPrefix);
  }

  public S3StoreConfig withEndpoint(URI uri, boolean usePathStyle) {
    return new S3StoreConfig(
        Optional.of(uri),
        region,
        bucket,
        keyPrefix,
        infoPrefix,
        usePathStyle,
        credentials,
        checksumMode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        tempDir,
        tempBudget,
        offsetCache,
        callTimeout);
  }

  public S3StoreConfig withRegion(String newRegion) {
    return new S3StoreConfig(
        endpoint,
        newRegion,
        bucket,
        keyPrefix,
        infoPrefix,
        pathStyle,
        credentials,
        checksumMode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        tempDir,
        tempBudget,
        offsetCache,
        callTimeout);
  }

  public S3StoreConfig withPrefixes(String newKeyPrefix, Optional<String> newInfoPrefix) {
    return new S3StoreConfig(
        endpoint,
        region,
        bucket,
        newKeyPrefix,
        newInfoPrefix,
        pathStyle,
        credentials,
        checksumMode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        tempDir,
        tempBudget,
        offsetCache,
        callTimeout);
  }

  public S3StoreConfig withCredentials(S3Credentials newCredentials) {
    return new S3StoreConfig(
        endpoint,
        region,
        bucket,
        keyPrefix,
        infoPrefix,
        pathStyle,
        Optional.of(newCredentials),
        checksumMode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        tempDir,
        tempBudget,
        offsetCache,
        callTimeout);
  }

  public S3StoreConfig withChecksumMode(ChecksumMode mode) {
    return new S3StoreConfig(
        endpoint,
        region,
        bucket,
        keyPrefix,
        infoPrefix,
        pathStyle,
        credentials,
        mode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        tempDir,
        tempBudget,
        offsetCache,
        callTimeout);
  }

  public S3StoreConfig withParts(long newPartSize, long newMaxUploadSize, int newMaxInFlight) {
    return new S3StoreConfig(
        endpoint,
        region,
        bucket,
        keyPrefix,
        infoPrefix,
        pathStyle,
        credentials,
        checksumMode,
        newPartSize,
        newMaxUploadSize,
        newMaxInFlight,
        tempDir,
        tempBudget,
        offsetCache,
        callTimeout);
  }

  public S3StoreConfig withTemp(Path newTempDir, long newTempBudget) {
    return new S3StoreConfig(
        endpoint,
        region,
        bucket,
        keyPrefix,
        infoPrefix,
        pathStyle,
        credentials,
        checksumMode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        newTempDir,
        newTempBudget,
        offsetCache,
        callTimeout);
  }

  public S3StoreConfig withOffsetCache(boolean enabled) {
    return new S3StoreConfig(
        endpoint,
        region,
        bucket,
        keyPrefix,
        infoPrefix,
        pathStyle,
        credentials,
        checksumMode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        tempDir,
        tempBudget,
        enabled,
        callTimeout);
  }

  private static void requirePrefix(String what, String prefix) {
    require(prefix != null, what + " must not be null (use \"\")");
    require(!prefix.startsWith("/"), what + " must not start with '/', got '" + prefix + "'");
    require(prefix.length() <= 512, what + " is longer than 512 characters");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public S3StoreConfig withCallTimeout(Duration timeout) {
    return new S3StoreConfig(
        endpoint,
        region,
        bucket,
        keyPrefix,
        infoPrefix,
        pathStyle,
        credentials,
        checksumMode,
        partSize,
        maxUploadSize,
        maxPartsInFlight,
        tempDir,
        tempBudget,
        offsetCache,
        timeout);
  }
}
