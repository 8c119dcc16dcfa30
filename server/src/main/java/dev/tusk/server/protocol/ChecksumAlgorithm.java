package dev.tusk.server.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The checksum algorithms of the tus checksum extension this server supports. */
public enum ChecksumAlgorithm {
  MD5("md5", "MD5"),
  SHA1("sha1", "SHA-1"),
  SHA256("sha256", "SHA-256"),
  SHA512("sha512", "SHA-512");

  /** The {@code Tus-Checksum-Algorithm} header value. */
  public static final String ADVERTISED =
      Arrays.stream(values()).map(ChecksumAlgorithm::tusName).collect(Collectors.joining(","));

  private final String tusName;
  private final String jcaName;

  ChecksumAlgorithm(String tusName, String jcaName) {
    this.tusName = tusName;
    this.jcaName = jcaName;
  }

  public String tusName() {
    return tusName;
  }

  public MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jcaName + " missing from the JDK", e);
    }
  }

  public static Optional<ChecksumAlgorithm> byTusName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(a -> a.tusName.equals(lower)).findFirst();
  }
}
