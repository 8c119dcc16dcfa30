package dev.tusk.server.options;

import static dev.tusk.server.options.AuthOptions.*;

import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.JwtConfig;
import dev.tusk.server.limits.Tier;
import dev.tusk.server.links.LinkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the options declared in {@link AuthOptions} into the validated {@link AuthConfig}: builds
 * the {@link AuthConfig} from {@link Settings} and checks the rules between the
 * access-control options: what a mode needs, what only a mode uses, key lengths, TTL order.
 */
public final class AuthConfigReader {
  private static final int MIN_KEY_BYTES = 32;

  private AuthConfigReader() {}

  /** What does not fit together, each naming the options as the user wrote them. */
  static List<String> problems(Settings s) {
    List<String> problems = new ArrayList<>();
    String mode = s.get(MODE);
    if (mode.equals("keys") && s.get(KEYS).isEmpty()) {
      problems.add(named(KEYS) + " is required when " + s.nameOf(MODE) + " is keys");
    }
    if (!mode.equals("keys") && !s.get(KEYS).isEmpty()) {
      problems.add(s.nameOf(KEYS) + " is set but " + s.nameOf(MODE) + " is " + mode + ", not keys");
    }
    jwt(s, mode, problems);
    links(s, mode, problems);
    if (s.get(METRICS_PROTECT) && s.get(METRICS_KEY_SHA256).isEmpty() && mode.equals("none")) {
      problems.add(s.nameOf(METRICS_PROTECT) + " needs " + named(METRICS_KEY_SHA256) + " or " + MODE.key()
          + " keys/jwt (an admin credential); otherwise nobody could read /metrics");
    }
    return problems;
  }

  private static void jwt(Settings s, String mode, List<String> problems) {
    int sources = (s.get(JWT_HS256_SECRET).isEmpty() ? 0 : 1) + (s.get(JWT_JWKS_FILE).isEmpty() ? 0 : 1)
        + (s.get(JWT_JWKS_URL).isEmpty() ? 0 : 1);
    if (mode.equals("jwt") && sources != 1) {
      problems.add(s.nameOf(MODE) + " jwt needs exactly one of " + JWT_HS256_SECRET.key() + ", "
          + JWT_JWKS_FILE.key() + ", " + JWT_JWKS_URL.key() + " (" + sources + " set)");
    }
    if (!mode.equals("jwt")) {
      for (Option<?> o : List.of(JWT_HS256_SECRET, JWT_JWKS_FILE, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE)) {
        if (!s.shown(o).isEmpty()) {
          problems.add(s.nameOf(o) + " is set but " + s.nameOf(MODE) + " is " + mode + ", not jwt");
        }
      }
    }
    if (bytes(s.get(JWT_HS256_SECRET)) > 0 && bytes(s.get(JWT_HS256_SECRET)) < MIN_KEY_BYTES) {
      problems.add("invalid " + s.nameOf(JWT_HS256_SECRET) + ": must be at least " + MIN_KEY_BYTES + " bytes");
    }
    s.get(JWT_JWKS_FILE).filter(p -> !Files.isReadable(p)).ifPresent(p ->
        problems.add("invalid " + s.nameOf(JWT_JWKS_FILE) + ": '" + p + "' is not a readable file"));
    if (s.get(JWT_CLOCK_SKEW).compareTo(Duration.ofMinutes(10)) > 0 || s.get(JWT_CLOCK_SKEW).isNegative()) {
      problems.add("invalid " + s.nameOf(JWT_CLOCK_SKEW) + ": " + s.shown(JWT_CLOCK_SKEW) + " is not within 0..10m");
    }
  }

  private static void links(Settings s, String mode, List<String> problems) {
    String key = s.get(LINKS_KEY);
    if (key.isEmpty()) {
      for (Option<?> o : List.of(LINKS_PUBLIC_BASE_URL, LINKS_CALLBACK_HOSTS)) {
        if (!s.shown(o).isEmpty()) {
          problems.add(s.nameOf(o) + " is set but " + named(LINKS_KEY) + " is not (links are off)");
        }
      }
      return;
    }
    if (mode.equals("none")) {
      problems.add(s.nameOf(LINKS_KEY) + " needs " + MODE.key()
          + " keys or jwt: links are issued to authenticated callers");
    }
    if (bytes(key) < MIN_KEY_BYTES) {
      problems.add("invalid " + s.nameOf(LINKS_KEY) + ": must be at least " + MIN_KEY_BYTES + " bytes");
    }
    if (key.equals(s.get(JWT_HS256_SECRET))) {
      problems.add(s.nameOf(LINKS_KEY) + " must differ from " + s.nameOf(JWT_HS256_SECRET));
    }
    for (Option<Duration> o : List.of(LINKS_TTL, LINKS_MAX_TTL, LINKS_CALLBACK_BACKOFF)) {
      if (s.get(o).isZero() || s.get(o).isNegative()) {
        problems.add("invalid " + s.nameOf(o) + ": " + s.shown(o) + " is not positive");
      }
    }
    if (s.get(LINKS_TTL).compareTo(s.get(LINKS_MAX_TTL)) > 0) {
      problems.add("invalid " + s.nameOf(LINKS_TTL) + ": " + s.shown(LINKS_TTL) + " is longer than "
          + LINKS_MAX_TTL.key() + " " + s.shown(LINKS_MAX_TTL) + " (" + s.source(LINKS_MAX_TTL).describe() + ")");
    }
  }

  /** The access-control configuration; mode none still carries the header, metadata and speed limits. */
  public static AuthConfig from(Settings s) throws ConfigException {
    List<String> problems = problems(s);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    try {
      AuthConfig config = AuthConfig.defaults()
          .withLinks(linkConfig(s))
          .withTiers(Map.of("default", new Tier(s.get(RATE_READS_PER_MINUTE), s.get(RATE_WRITES_PER_MINUTE))))
          .withUploadCaps(s.get(MAX_CONCURRENT_UPLOADS), s.get(MAX_BYTES_IN_FLIGHT))
          .withMinSpeed(s.get(MIN_BYTES_PER_SECOND), s.get(MIN_SPEED_GRACE))
          .withHeaderLimits(s.get(ServerOptions.MAX_HEADER_SIZE), s.get(MAX_METADATA_BYTES), s.get(MAX_METADATA_KEYS))
          .withMetrics(s.get(METRICS_PROTECT), s.get(METRICS_KEY_SHA256))
          .withOwnerExpiry(s.get(OWNER_EXPIRY));
      return switch (s.get(MODE)) {
        case "keys" -> config.withKeys(s.get(KEYS));
        case "jwt" -> config.withJwt(new JwtConfig(
            Optional.of(s.get(JWT_HS256_SECRET)).filter(v -> !v.isEmpty()), s.get(JWT_JWKS_FILE), s.get(JWT_JWKS_URL),
            optional(s.get(JWT_ISSUER)), optional(s.get(JWT_AUDIENCE)), s.get(JWT_CLOCK_SKEW),
            s.get(JWT_OWNER_CLAIM)));
        default -> config;
      };
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid access control configuration (auth.*): " + e.getMessage());
    }
  }

  private static LinkConfig linkConfig(Settings s) {
    if (s.get(LINKS_KEY).isEmpty()) {
      return LinkConfig.DISABLED;
    }
    LinkConfig links = LinkConfig.withKey(s.get(LINKS_KEY))
        .withTtl(s.get(LINKS_TTL), s.get(LINKS_MAX_TTL))
        .withCallbacks(s.get(LINKS_CALLBACK_HOSTS), s.get(LINKS_CALLBACK_ATTEMPTS), s.get(LINKS_CALLBACK_BACKOFF));
    return s.get(LINKS_PUBLIC_BASE_URL).map(links::withPublicBaseUrl).orElse(links);
  }

  private static Optional<String> optional(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static int bytes(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String named(Option<?> o) {
    return o.key() + " (" + o.flag() + ", " + o.env() + ")";
  }
}
