package dev.tusk.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of an {@link ExpiryIndex}: the upload {@code id} is due for a look once its {@code
 * bucket} (a UTC minute) has passed. Stores name a bucket by {@link #bucketName()}, a fixed-width
 * UTC time such as {@code 20261123T1000}, so that names sort in time order (a listing in key order
 * is a listing oldest first).
 *
 * @param id the upload
 * @param bucket the start of the minute the upload expires in
 */
public record ExpiryEntry(UploadId id, Instant bucket) {
  /** The time one bucket spans. */
  public static final Duration WIDTH = Duration.ofMinutes(1);

  private static final Pattern NAME = Pattern.compile("[0-9]{8}T[0-9]{4}");
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmm").withZone(ZoneOffset.UTC);
  /** Bucket names have four-digit years; expiries outside them are kept at the ends. */
  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant LAST = Instant.parse("9999-12-31T23:59:00Z");

  public ExpiryEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bucket, "bucket");
    if (!bucket.equals(bucketOf(bucket))) {
      throw new IllegalArgumentException("not the start of a bucket: " + bucket);
    }
  }

  /** The entry of an upload that expires at {@code expiresAt}. */
  public static ExpiryEntry of(UploadId id, Instant expiresAt) {
    return new ExpiryEntry(id, bucketOf(expiresAt));
  }

  /** The entry {@code info} belongs in, or empty if it is kept (never expires). */
  public static Optional<ExpiryEntry> of(UploadInfo info) {
    return info.expiresAt().map(expiresAt -> of(info.id(), expiresAt));
  }

  /** The start of the bucket holding {@code instant}. */
  public static Instant bucketOf(Instant instant) {
    if (instant.isBefore(FIRST)) {
      return FIRST;
    }
    if (instant.isAfter(LAST)) {
      return LAST;
    }
    return instant.truncatedTo(ChronoUnit.MINUTES);
  }

  /**
   * True once the bucket has begun at {@code now}: its uploads have expired or expire within the
   * minute, so a sweep looks at them (and leaves those still to expire for the next one).
   */
  public boolean isDue(Instant now) {
    return isDue(bucket, now);
  }

  /** True if the bucket starting at {@code bucket} has begun at {@code now}. */
  public static boolean isDue(Instant bucket, Instant now) {
    return !bucket.isAfter(now);
  }

  /** The bucket's name: {@code uuuuMMdd'T'HHmm} in UTC, 13 characters, sortable as text. */
  public String bucketName() {
    return bucketName(bucket);
  }

  public static String bucketName(Instant bucket) {
    return FORMAT.format(bucket);
  }

  /** The bucket a name stands for; empty for any other name (files an operator put there). */
  public static Optional<Instant> parseBucket(String name) {
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    try {
      Instant bucket = FORMAT.parse(name, Instant::from);
      return bucketName(bucket).equals(name) ? Optional.of(bucket) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
