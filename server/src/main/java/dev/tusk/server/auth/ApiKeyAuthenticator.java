package dev.tusk.server.auth;

import dev.tusk.server.policy.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Mode keys: a bearer token is valid if its SHA-256 is a configured key's. */
final class ApiKeyAuthenticator implements Authenticator {
  private final List<ApiKey> keys;
  private final List<byte[]> hashes;

  ApiKeyAuthenticator(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
    this.hashes = keys.stream().map(ApiKey::hash).toList();
  }

  @Override
  public Result authenticate(String bearerToken) {
    Optional<Integer> index = KeyHashes.find(bearerToken, hashes);
    if (index.isEmpty()) {
      return Result.invalid("unknown API key");
    }
    ApiKey key = keys.get(index.get());
    Map<String, String> claims = new LinkedHashMap<>(key.limits().toClaims());
    claims.put(Principal.TIER_CLAIM, key.tier());
    return Result.ok(new Principal(key.owner(), key.scopes(), claims));
  }
}
