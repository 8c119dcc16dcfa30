package dev.tusk.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * API keys are kept as their SHA-256 and compared in constant time. A fast hash is enough: keys
 * are random with at least 128 bits of entropy (we tell operators to use 32 random bytes), so
 * there is nothing to brute-force from a leaked hash, and a slow password hash on every request
 * would hand attackers a cheap way to burn CPU. Thread-safe.
 */
public final class KeyHashes {
  private KeyHashes() {}

  /** The SHA-256 of {@code key} (UTF-8) as lowercase hex, what the configuration stores. */
  public static String sha256Hex(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  /** A configured hash as 64 lowercase hex digits; accepts a {@code sha256:} prefix. */
  static String normalize(String configured) {
    String hex = configured == null ? "" : configured.strip().toLowerCase(Locale.ROOT);
    if (hex.startsWith("sha256:")) {
      hex = hex.substring("sha256:".length());
    }
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "an API key must be configured as its SHA-256 (64 hex digits), not as the key itself");
    }
    return hex;
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The index of the hash in {@code hashes} that {@code presented} hashes to, comparing with every
   * entry in constant time (no early exit), or empty.
   */
  static Optional<Integer> find(String presented, List<byte[]> hashes) {
    byte[] digest = sha256(presented);
    int found = -1;
    for (int i = 0; i < hashes.size(); i++) {
      if (MessageDigest.isEqual(digest, hashes.get(i))) {
        found = i;
      }
    }
    return found < 0 ? Optional.empty() : Optional.of(found);
  }
}
