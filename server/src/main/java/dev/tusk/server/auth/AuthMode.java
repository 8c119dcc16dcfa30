package dev.tusk.server.auth;

/** How callers prove who they are. */
public enum AuthMode {
  /** No credentials: everyone may do everything, uploads have no owner (local use). */
  NONE,
  /** Static API keys sent as {@code Authorization: Bearer <key>}, configured as SHA-256 hashes. */
  KEYS,
  /** JWTs sent as {@code Authorization: Bearer <jwt>}: HS256 with a shared secret, or RS256/ES256. */
  JWT
}
