package dev.tusk.store.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of an {@link S3UploadStore}. Immutable; the constructor validates every value and
 * names the bad one in its {@link IllegalArgumentException}. Build one with {@link
 * #builder(String)}, which names every default, or change one with {@link #toBuilder()}.
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

  /** AWS S3 with every default of {@link Builder}. */
  public static S3StoreConfig defaults(String bucket) {
    return builder(bucket).build();
  }

  /** A builder for the bucket {@code bucket}, every other value at its default. */
  public static Builder builder(String bucket) {
    return new Builder(bucket);
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder(bucket);
    b.endpoint = endpoint;
    b.region = region;
    b.keyPrefix = keyPrefix;
    b.infoPrefix = infoPrefix;
    b.pathStyle = pathStyle;
    b.credentials = credentials;
    b.checksumMode = checksumMode;
    b.partSize = partSize;
    b.maxUploadSize = maxUploadSize;
    b.maxPartsInFlight = maxPartsInFlight;
    b.tempDir = tempDir;
    b.tempBudget = tempBudget;
    b.offsetCache = offsetCache;
    b.callTimeout = callTimeout;
    return b;
  }

  /** The prefix of {@code .info} and {@code .part} objects. */
  public String effectiveInfoPrefix() {
    return infoPrefix.orElse(keyPrefix);
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

  /**
   * The values of an {@link S3StoreConfig}, each setter naming its default (the record's
   * components say what they mean). {@link #build} validates. Not thread-safe.
   */
  public static final class Builder {
    private final String bucket;
    private Optional<URI> endpoint = Optional.empty();
    private String region = "us-east-1";
    private String keyPrefix = "";
    private Optional<String> infoPrefix = Optional.empty();
    private boolean pathStyle;
    private Optional<S3Credentials> credentials = Optional.empty();
    private ChecksumMode checksumMode = ChecksumMode.WHEN_SUPPORTED;
    private long partSize = 16 * MIB;
    private long maxUploadSize = MAX_OBJECT_SIZE;
    private int maxPartsInFlight = 4;
    private Path tempDir = Path.of(System.getProperty("java.io.tmpdir"), "tusk-s3");
    private long tempBudget = 1024 * MIB;
    private boolean offsetCache = true;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

    private Builder(String bucket) {
      this.bucket = bucket;
    }

    /** The S3 endpoint; default none: AWS S3 of {@link #region}. */
    public Builder endpoint(URI endpoint) {
      return endpoint(Optional.of(endpoint));
    }

    /** As {@link #endpoint(URI)}; empty for AWS S3. */
    public Builder endpoint(Optional<URI> endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** Path-style URLs ({@code endpoint/bucket/key}); default false (virtual-hosted). */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** The signing region; default {@code us-east-1}. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Prepended to every key; default empty. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
      return this;
    }

    /** Prefix of the {@code .info} and {@code .part} objects; default empty: {@link #keyPrefix}. */
    public Builder infoPrefix(Optional<String> infoPrefix) {
      this.infoPrefix = infoPrefix;
      return this;
    }

    /** A static key; default none: the AWS SDK's default provider chain. */
    public Builder credentials(S3Credentials credentials) {
      return credentials(Optional.of(credentials));
    }

    /** As {@link #credentials(S3Credentials)}; empty for the default provider chain. */
    public Builder credentials(Optional<S3Credentials> credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Default {@link ChecksumMode#WHEN_SUPPORTED}. */
    public Builder checksumMode(ChecksumMode checksumMode) {
      this.checksumMode = checksumMode;
      return this;
    }

    /** The preferred multipart part size in bytes; default 16 MiB. */
    public Builder partSize(long partSize) {
      this.partSize = partSize;
      return this;
    }

    /** The largest upload accepted; default 5 TiB ({@link #MAX_OBJECT_SIZE}). */
    public Builder maxUploadSize(long maxUploadSize) {
      this.maxUploadSize = maxUploadSize;
      return this;
    }

    /** Parts of one upload uploading at once; default 4. */
    public Builder maxPartsInFlight(int maxPartsInFlight) {
      this.maxPartsInFlight = maxPartsInFlight;
      return this;
    }

    /** Where parts are buffered; default {@code <java.io.tmpdir>/tusk-s3}. */
    public Builder tempDir(Path tempDir) {
      this.tempDir = tempDir;
      return this;
    }

    /** The most bytes all part buffers may reserve together; default 1 GiB. */
    public Builder tempBudget(long tempBudget) {
      this.tempBudget = tempBudget;
      return this;
    }

    /** Cache info and offset in memory (off in a fleet); default on. */
    public Builder offsetCache(boolean offsetCache) {
      this.offsetCache = offsetCache;
      return this;
    }

    /** The longest the S3 requests of one store call may take together; default 10 s. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    /** The configuration; throws {@link IllegalArgumentException} naming a bad value. */
    public S3StoreConfig build() {
      return new S3StoreConfig(endpoint, region, bucket, keyPrefix, infoPrefix, pathStyle, credentials,
          checksumMode, partSize, maxUploadSize, maxPartsInFlight, tempDir, tempBudget, offsetCache,
          callTimeout);
    }
  }
}
