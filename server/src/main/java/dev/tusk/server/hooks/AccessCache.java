package dev.tusk.server.hooks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy.Access;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers pre-access answers for a short time per (credential, upload, kind of access), so a
 * chunked upload asks once, not once per chunk. The credential is the authenticated principal's
 * id, else a SHA-256 of the configured credential headers' values, else the client's address.
 * Only answers are remembered, never failures. Time comes from the injected clock. Thread-safe.
 */
final class AccessCache {
  /** An answer: allowed (no rejection) or the rejection to repeat. */
  record Decision(Optional<TusException> rejection) {}

  private record Key(String credential, UploadId upload, Access access) {}

  private final Cache<Key, Decision> cache;
  private final List<String> credentialHeaders;

  AccessCache(Duration ttl, List<String> credentialHeaders, Clock clock) {
    this.credentialHeaders = List.copyOf(credentialHeaders);
    this.cache =
        ttl.isZero()
            ? null
            : Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(ttl)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
  }

  Optional<Decision> find(RequestContext request, UploadId id, Access access) {
    return cache == null
        ? Optional.empty()
        : Optional.ofNullable(cache.getIfPresent(new Key(credential(request), id, access)));
  }

  void put(RequestContext request, UploadId id, Access access, Decision decision) {
    if (cache != null) {
      cache.put(new Key(credential(request), id, access), decision);
    }
  }

  /** Forgets every answer about {@code id} (its status changed, it was deleted). */
  void forget(UploadId id) {
    if (cache != null) {
      cache.asMap().keySet().removeIf(k -> k.upload().equals(id));
    }
  }

  String credential(RequestContext request) {
    if (request.principal().isPresent()) {
      return "principal:" + request.principal().get().id();
    }
    StringBuilder material = new StringBuilder();
    for (String name : credentialHeaders) {
      for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          material.append(name.toLowerCase(java.util.Locale.ROOT)).append('=');
          h.getValue().forEach(v -> material.append(v).append('\u0000'));
        }
      }
    }
    if (material.length() > 0) {
      return "headers:" + sha256(material.toString());
    }
    String addr = request.remoteAddr();
    int colon = addr.lastIndexOf(':');
    return "address:" + (colon > 0 ? addr.substring(0, colon) : addr);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
