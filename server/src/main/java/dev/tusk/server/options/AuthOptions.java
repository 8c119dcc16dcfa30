package dev.tusk.server.options;

import static dev.tusk.server.options.OptionKinds.bool;
import static dev.tusk.server.options.OptionKinds.choice;
import static dev.tusk.server.options.OptionKinds.duration;
import static dev.tusk.server.options.OptionKinds.integer;
import static dev.tusk.server.options.OptionKinds.optionalPath;
import static dev.tusk.server.options.OptionKinds.optionalUrl;
import static dev.tusk.server.options.OptionKinds.secret;
import static dev.tusk.server.options.OptionKinds.size;
import static dev.tusk.server.options.OptionKinds.string;

import dev.tusk.server.auth.ApiKey;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.options.Option.Display;
import dev.tusk.server.policy.Scopes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The access-control options ({@code auth.*} and the {@code /metrics} guard, docs/securing.md),
 * part of {@link ServerOptions#ALL}. Access control is off ({@code auth.mode: none}) by default; the
 * header, metadata and speed limits apply in every mode.
 */
public final class AuthOptions {
  private AuthOptions() {}

  public static final Option<String> MODE =
      choice("auth.mode", "none", List.of("none", "keys", "jwt"),
          "How callers authenticate: none (anyone may do anything), keys (auth.keys) or jwt (auth.jwt.*).");
  public static final Option<List<ApiKey>> KEYS =
      new Option<>("auth.keys", "", "list",
          "API keys of mode keys, comma-separated <sha256-hex>:<owner>:<scope>[+<scope>...] with scopes "
              + "upload, download, admin; the hash from 'tusk hash-key'.",
          AuthOptions::keys, Display.SECRET, false);
  public static final Option<String> JWT_HS256_SECRET =
      secret("auth.jwt.hs256-secret", "HS256 shared secret of mode jwt (at least 32 bytes).");
  public static final Option<Optional<Path>> JWT_JWKS_FILE =
      optionalPath("auth.jwt.jwks-file", "JWK set file with the RS256/ES256 public keys of mode jwt.");
  public static final Option<Optional<URI>> JWT_JWKS_URL =
      optionalUrl("auth.jwt.jwks-url", "JWK set URL of mode jwt (an identity provider's jwks_uri).");
  public static final Option<String> JWT_ISSUER =
      string("auth.jwt.issuer", "", "Required iss of JWTs; empty = not checked.");
  public static final Option<String> JWT_AUDIENCE =
      string("auth.jwt.audience", "", "Required aud of JWTs; empty = not checked.");
  public static final Option<Duration> JWT_CLOCK_SKEW =
      duration("auth.jwt.clock-skew", "60s", "Tolerance for exp, nbf and iat (0..10m).");
  public static final Option<String> JWT_OWNER_CLAIM =
      string("auth.jwt.owner-claim", "sub", "The JWT claim that names the owner.");
  public static final Option<String> LINKS_KEY =
      secret("auth.links.key",
          "HMAC key of signed upload links and callback signatures (at least 32 bytes); empty = links off.");
  public static final Option<Duration> LINKS_TTL =
      duration("auth.links.ttl", "15m", "How long a link is valid when the request names no ttl.");
  public static final Option<Duration> LINKS_MAX_TTL =
      duration("auth.links.max-ttl", "24h", "The longest validity a link may ask for.");
  public static final Option<Optional<URI>> LINKS_PUBLIC_BASE_URL =
      optionalUrl("auth.links.public-base-url",
          "Collection URL browsers reach (https://up.example.com/files/); empty = the link request's URL.");
  public static final Option<List<String>> LINKS_CALLBACK_HOSTS =
      new Option<>("auth.links.callback-hosts", "", "list",
          "Hosts link callbacks may go to: host, host:port or *.example.com; empty = no callbacks.",
          Values::list, Display.PLAIN, false);
  public static final Option<Integer> LINKS_CALLBACK_ATTEMPTS =
      integer("auth.links.callback-attempts", "5", 1, 20, "Tries per callback before it is given up.");
  public static final Option<Duration> LINKS_CALLBACK_BACKOFF =
      duration("auth.links.callback-backoff", "1s", "Wait before the first callback retry, doubled each time.");
  public static final Option<Integer> RATE_READS_PER_MINUTE =
      integer("auth.rate.reads-per-minute", "1000", 0, Integer.MAX_VALUE,
          "HEAD, GET and PATCH requests per minute per credential (and per IP for links); 0 = unlimited.");
  public static final Option<Integer> RATE_WRITES_PER_MINUTE =
      integer("auth.rate.writes-per-minute", "100", 0, Integer.MAX_VALUE,
          "POST and DELETE requests per minute per credential (and per IP for links); 0 = unlimited.");
  public static final Option<Integer> MAX_CONCURRENT_UPLOADS =
      integer("auth.max-concurrent-uploads", "32", 0, 1_000_000,
          "Request bodies in flight per credential; 0 = unlimited.");
  public static final Option<Long> MAX_BYTES_IN_FLIGHT =
      size("auth.max-bytes-in-flight", "0", "Announced body bytes in flight per credential; 0 = unlimited.");
  public static final Option<Long> MIN_BYTES_PER_SECOND =
      size("auth.min-bytes-per-second", "1024",
          "A body slower than this on average is ended with 408 (bytes kept; all modes); 0 = no minimum.");
  public static final Option<Duration> MIN_SPEED_GRACE =
      duration("auth.min-speed-grace", "30s", "How long a body may be slow before the minimum applies.");
  public static final Option<Integer> MAX_METADATA_BYTES =
      new Option<>("auth.max-metadata-bytes", "16KiB", "size",
          "Largest Upload-Metadata header (431 above it; all modes).",
          raw -> (int) OptionKinds.bounded(Values.size(raw), 1, 16L << 20, raw), Display.PLAIN, false);
  public static final Option<Integer> MAX_METADATA_KEYS =
      integer("auth.max-metadata-keys", "64", 1, 10_000, "Most Upload-Metadata pairs (431 above it; all modes).");
  public static final Option<Boolean> METRICS_PROTECT =
      bool("metrics.protect", "false", "/metrics needs the metrics key or an admin credential.");
  public static final Option<Optional<String>> METRICS_KEY_SHA256 =
      new Option<>("metrics.key-sha256", "", "string",
          "SHA-256 (hex, from 'tusk hash-key') of the scraper's bearer key; implies metrics.protect.",
          raw -> raw.isBlank() ? Optional.empty() : Optional.of(sha256(raw.strip())), Display.SECRET, false);

  public static final Option<Boolean> OWNER_EXPIRY =
      bool("auth.owner-expiry", "false",
          "An upload's owner may change its expiry or keep it (PATCH <upload>/details); off, only admin may.");

  /** The {@code auth.*} options in the order of the docs. */
  static final List<Option<?>> AUTH =
      List.of(MODE, KEYS, JWT_HS256_SECRET, JWT_JWKS_FILE, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE,
          JWT_CLOCK_SKEW, JWT_OWNER_CLAIM, LINKS_KEY, LINKS_TTL, LINKS_MAX_TTL, LINKS_PUBLIC_BASE_URL,
          LINKS_CALLBACK_HOSTS, LINKS_CALLBACK_ATTEMPTS, LINKS_CALLBACK_BACKOFF, RATE_READS_PER_MINUTE,
          RATE_WRITES_PER_MINUTE, MAX_CONCURRENT_UPLOADS, MAX_BYTES_IN_FLIGHT, MIN_BYTES_PER_SECOND,
          MIN_SPEED_GRACE, MAX_METADATA_BYTES, MAX_METADATA_KEYS, OWNER_EXPIRY);

  /** {@code <sha256-hex>:<owner>:<scope>[+<scope>...]}, comma-separated; messages never quote a key. */
  static List<ApiKey> keys(String raw) {
    List<ApiKey> keys = new ArrayList<>();
    Set<String> hashes = new HashSet<>();
    List<String> entries = Values.list(raw);
    for (int i = 0; i < entries.size(); i++) {
      try {
        ApiKey key = key(entries.get(i));
        if (!hashes.add(key.sha256())) {
          throw new IllegalArgumentException("repeats the hash of an earlier entry");
        }
        keys.add(key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("entry " + (i + 1) + " of " + entries.size() + ": " + e.getMessage());
      }
    }
    return List.copyOf(keys);
  }

  private static ApiKey key(String entry) {
    String e = entry.regionMatches(true, 0, "sha256:", 0, 7) ? entry.substring(7) : entry;
    int first = e.indexOf(':');
    int last = e.lastIndexOf(':');
    if (first < 0 || last == first) {
      throw new IllegalArgumentException("expected <sha256-hex>:<owner>:<scope>[+<scope>...]");
    }
    Set<String> scopes = new HashSet<>();
    for (String scope : e.substring(last + 1).split("\\+")) {
      String s = scope.strip().toLowerCase(Locale.ROOT);
      if (!Scopes.ALL.contains(s)) {
        throw new IllegalArgumentException("scope '" + s + "' is not upload, download or admin");
      }
      scopes.add(s);
    }
    return new ApiKey(sha256(e.substring(0, first)), e.substring(first + 1, last).strip(), scopes, Limits.NONE,
        "default");
  }

  private static String sha256(String hex) {
    String h = hex.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("sha256:")) {
      h = h.substring(7);
    }
    if (!h.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "expected a SHA-256 as 64 hex digits (tusk hash-key <key>), not the key itself");
    }
    return h;
  }
}
