package dev.tusk.server.auth;

import dev.tusk.server.policy.Principal;
import java.util.Optional;

/** Turns a bearer token into a principal. Thread-safe; may block briefly (a JWKS fetch). */
interface Authenticator {
  /** The principal the token stands for, or empty if it is not valid; {@code reason} explains. */
  Result authenticate(String bearerToken);

  /** A principal, or why there is none (safe to show the caller). */
  record Result(Optional<Principal> principal, String reason) {
    static Result ok(Principal p) {
      return new Result(Optional.of(p), "");
    }

    static Result invalid(String reason) {
      return new Result(Optional.empty(), reason);
    }
  }
}
