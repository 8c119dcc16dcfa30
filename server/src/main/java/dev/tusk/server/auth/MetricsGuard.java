package dev.tusk.server.auth;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.server.policy.Scopes;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: anyone (the default), or, when protected, a caller presenting
 * the metrics key or an {@code admin} credential. Thread-safe.
 */
final class MetricsGuard {
  private final boolean protect;
  private final List<byte[]> key;
  private final Authenticator authenticator;

  MetricsGuard(AuthConfig config, Authenticator authenticatorOrNull) {
    this.protect = config.protectMetrics() || config.metricsKeySha256().isPresent();
    this.key =
        config.metricsKeySha256().map(h -> List.of(java.util.HexFormat.of().parseHex(h))).orElse(List.of());
    this.authenticator = authenticatorOrNull;
  }

  /** Returns if the caller may read metrics; otherwise throws 401 or 403. */
  void check(HttpServerExchange exchange) {
    if (!protect) {
      return;
    }
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new TusException(
          ErrorCode.UNAUTHORIZED, "metrics need a bearer credential",
          Map.of("WWW-Authenticate", "Bearer realm=\"tusk\""), null);
    }
    String token = header.substring(7).trim();
    if (KeyHashes.find(token, key).isPresent()) {
      return;
    }
    Optional<Boolean> admin =
        authenticator == null
            ? Optional.empty()
            : authenticator.authenticate(token).principal().map(p -> p.scopes().contains(Scopes.ADMIN));
    if (admin.isEmpty()) {
      throw new TusException(
          ErrorCode.UNAUTHORIZED, "unknown metrics credential",
          Map.of("WWW-Authenticate", "Bearer realm=\"tusk\", error=\"invalid_token\""), null);
    }
    if (!admin.get()) {
      throw new TusException(ErrorCode.FORBIDDEN, "metrics need the 'admin' scope or the metrics key");
    }
  }
}
