package dev.tusk.server.auth;

import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Scopes;
import java.util.HexFormat;
import java.util.Set;

/**
 * One static API key as configured: only its SHA-256 is stored (a leaked config file does not
 * leak the key), with the owner its uploads get, its scopes, its limits and its rate-limit tier.
 *
 * @param sha256 the key's SHA-256 as 64 hex digits, optionally prefixed {@code sha256:}
 * @param owner the owner id recorded on uploads created with this key
 * @param scopes a subset of {@link Scopes#ALL}
 * @param limits what uploads created with this key may be
 * @param tier the rate-limit tier's name ({@code default} if unknown)
 */
public record ApiKey(String sha256, String owner, Set<String> scopes, Limits limits, String tier) {
  public ApiKey {
    sha256 = KeyHashes.normalize(sha256);
    if (owner == null || owner.isBlank() || owner.length() > 256) {
      throw new IllegalArgumentException("an API key needs an owner id of 1 to 256 characters");
    }
    scopes = Set.copyOf(scopes);
    if (scopes.isEmpty() || !Scopes.ALL.containsAll(scopes)) {
      throw new IllegalArgumentException(
          "API key scopes must be some of " + Scopes.ALL + ", were " + scopes);
    }
    tier = tier == null || tier.isBlank() ? "default" : tier;
  }

  /** The raw SHA-256 bytes. */
  byte[] hash() {
    return HexFormat.of().parseHex(sha256);
  }
}
