package dev.tusk.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The identifier of an upload. New ids carry 128 bits from a CSPRNG as 32 lowercase hex digits.
 * Ids accepted from the outside (URLs, hooks) are restricted to {@code [A-Za-z0-9_-]{8,128}} so an
 * id can never become a path traversal, a header injection or an S3 key outside the prefix.
 */
public record UploadId(String value) {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{8,128}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public UploadId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid upload id");
    }
  }

  /** A fresh unguessable id (128 random bits). Thread-safe. */
  public static UploadId random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return new UploadId(HexFormat.of().formatHex(bytes));
  }

  /** The id if {@code candidate} is a well-formed id, empty otherwise; never throws. */
  public static Optional<UploadId> parse(String candidate) {
    if (candidate == null || !VALID.matcher(candidate).matches()) {
      return Optional.empty();
    }
    return Optional.of(new UploadId(candidate));
  }

  @Override
  public String toString() {
    return value;
  }
}
