package dev.tusk.server.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.server.auth.ApiKey;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.AuthMode;
import dev.tusk.server.auth.KeyHashes;
import dev.tusk.server.limits.Tier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthConfigReaderTest {
  private static final String ALICE = KeyHashes.sha256Hex("alice-key-0123456789abcdef");
  private static final String BOB = KeyHashes.sha256Hex("bob-key-0123456789abcdef");
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String LINK_KEY = "fedcba9876543210fedcba9876543210";

  private static Settings settings(Map<Option<?>, String> flags) throws ConfigException {
    return Settings.load(flags, Map.of(), Optional.empty());
  }

  @Test
  void from_nothingSet_isModeNoneWithTheDocumentedLimits() throws Exception {
    AuthConfig c = AuthConfigReader.from(settings(Map.of()));
    assertThat(c.mode()).isEqualTo(AuthMode.NONE);
    assertThat(c.tiers()).isEqualTo(Map.of("default", Tier.DEFAULT));
    assertThat(c.maxConcurrentUploads()).isEqualTo(32);
    assertThat(c.minBytesPerSecond()).isEqualTo(1024);
    assertThat(c.minSpeedGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxMetadataBytes()).isEqualTo(16 * 1024);
    assertThat(c.maxMetadataKeys()).isEqualTo(64);
    assertThat(c.maxHeaderBytes()).isEqualTo(64 * 1024);
    assertThat(c.links().key()).isEmpty();
    assertThat(c.protectMetrics()).isFalse();
  }

  @Test
  void from_keys_parsesHashOwnerAndScopes() throws Exception {
    AuthConfig c = AuthConfigReader.from(settings(Map.of(
        AuthOptions.MODE, "keys",
        AuthOptions.KEYS, ALICE + ":alice:upload+download, sha256:" + BOB.toUpperCase() + ":team:b:admin",
        AuthOptions.LINKS_KEY, LINK_KEY,
        AuthOptions.LINKS_CALLBACK_HOSTS, "api.example.com,*.example.org",
        AuthOptions.LINKS_PUBLIC_BASE_URL, "https://up.example.com/files/",
        AuthOptions.RATE_WRITES_PER_MINUTE, "0",
        AuthOptions.METRICS_KEY_SHA256, "sha256:" + BOB)));
    assertThat(c.mode()).isEqualTo(AuthMode.KEYS);
    assertThat(c.keys()).extracting(ApiKey::sha256, ApiKey::owner, ApiKey::scopes).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ALICE, "alice", Set.of("upload", "download")),
        org.assertj.core.groups.Tuple.tuple(BOB, "team:b", Set.of("admin")));
    assertThat(c.links().key()).contains(LINK_KEY);
    assertThat(c.links().callbackHosts()).containsExactly("api.example.com", "*.example.org");
    assertThat(c.links().publicBaseUrl()).contains(URI.create("https://up.example.com/files/"));
    assertThat(c.tiers().get("default")).isEqualTo(new Tier(1000, 0));
    assertThat(c.metricsKeySha256()).contains(BOB);
  }

  @Test
  void from_jwt_buildsTheJwtConfig() throws Exception {
    AuthConfig c = AuthConfigReader.from(settings(Map.of(
        AuthOptions.MODE, "jwt",
        AuthOptions.JWT_JWKS_URL, "https://idp.example.com/.well-known/jwks.json",
        AuthOptions.JWT_ISSUER, "https://idp.example.com/",
        AuthOptions.JWT_CLOCK_SKEW, "5s",
        AuthOptions.JWT_OWNER_CLAIM, "email")));
    assertThat(c.mode()).isEqualTo(AuthMode.JWT);
    assertThat(c.jwt().jwksUrl()).contains(URI.create("https://idp.example.com/.well-known/jwks.json"));
    assertThat(c.jwt().hs256Secret()).isEmpty();
    assertThat(c.jwt().issuer()).contains("https://idp.example.com/");
    assertThat(c.jwt().audience()).isEmpty();
    assertThat(c.jwt().clockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.jwt().ownerClaim()).isEqualTo("email");
  }

  @Test
  void load_badKeys_nameTheEntryButNeverQuoteIt() {
    for (String bad : List.of("my-plain-api-key:alice:upload", ALICE + ":alice", ALICE + ":alice:write",
        ALICE + "::upload", ALICE + ":a:upload," + ALICE + ":b:download")) {
      assertThatThrownBy(() -> settings(Map.of(AuthOptions.KEYS, bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("invalid --auth-keys: entry ")
          .hasMessageNotContaining(ALICE)
          .hasMessageNotContaining("my-plain-api-key");
    }
  }

  @Test
  void problems_whatAModeNeedsAndWhatOnlyAModeUses() throws Exception {
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.MODE, "keys")))).containsExactly(
        "auth.keys (--auth-keys, TUSK_AUTH_KEYS) is required when --auth-mode is keys");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.KEYS, ALICE + ":alice:upload")))).containsExactly(
        "--auth-keys is set but auth.mode (default) is none, not keys");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.MODE, "jwt")))).containsExactly(
        "--auth-mode jwt needs exactly one of auth.jwt.hs256-secret, auth.jwt.jwks-file, auth.jwt.jwks-url (0 set)");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.MODE, "jwt",
        AuthOptions.JWT_HS256_SECRET, SECRET, AuthOptions.JWT_JWKS_URL, "https://idp/jwks")))).containsExactly(
        "--auth-mode jwt needs exactly one of auth.jwt.hs256-secret, auth.jwt.jwks-file, auth.jwt.jwks-url (2 set)");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.MODE, "keys",
        AuthOptions.KEYS, ALICE + ":alice:upload", AuthOptions.JWT_HS256_SECRET, SECRET)))).containsExactly(
        "--auth-jwt-hs256-secret is set but --auth-mode is keys, not jwt");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.METRICS_PROTECT, "true")))).containsExactly(
        "--metrics-protect needs metrics.key-sha256 (--metrics-key-sha256, TUSK_METRICS_KEY_SHA256) or auth.mode "
            + "keys/jwt (an admin credential); otherwise nobody could read /metrics");
  }

  @Test
  void problems_secretsAndLinks() throws Exception {
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.MODE, "jwt",
        AuthOptions.JWT_HS256_SECRET, "short", AuthOptions.JWT_CLOCK_SKEW, "11m")))).containsExactly(
        "invalid --auth-jwt-hs256-secret: must be at least 32 bytes",
        "invalid --auth-jwt-clock-skew: 11m is not within 0..10m");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.MODE, "jwt", AuthOptions.JWT_HS256_SECRET, SECRET,
        AuthOptions.LINKS_KEY, SECRET, AuthOptions.LINKS_TTL, "2d")))).containsExactly(
        "--auth-links-key must differ from --auth-jwt-hs256-secret",
        "invalid --auth-links-ttl: 2d is longer than auth.links.max-ttl 24h (default)");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.LINKS_KEY, "short")))).containsExactly(
        "--auth-links-key needs auth.mode keys or jwt: links are issued to authenticated callers",
        "invalid --auth-links-key: must be at least 32 bytes");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.LINKS_CALLBACK_HOSTS, "api.example.com"))))
        .containsExactly("--auth-links-callback-hosts is set but auth.links.key (--auth-links-key, "
            + "TUSK_AUTH_LINKS_KEY) is not (links are off)");
    assertThat(AuthConfigReader.problems(settings(Map.of(AuthOptions.MODE, "jwt",
        AuthOptions.JWT_JWKS_FILE, "/nonexistent/jwks.json")))).containsExactly(
        "invalid --auth-jwt-jwks-file: '" + Path.of("/nonexistent/jwks.json") + "' is not a readable file");
  }

  @Test
  void effective_masksEverySecret() throws Exception {
    Settings s = settings(Map.of(
        AuthOptions.MODE, "jwt",
        AuthOptions.JWT_HS256_SECRET, SECRET,
        AuthOptions.LINKS_KEY, LINK_KEY,
        AuthOptions.METRICS_KEY_SHA256, BOB));
    String printed = ConfigPrinter.effective(s);
    assertThat(printed).doesNotContain(SECRET).doesNotContain(LINK_KEY).doesNotContain(BOB)
        .contains("auth:\n  mode: \"jwt\"")
        .containsPattern("\n  jwt:\n    hs256-secret: \"\\*\\*\\*\\*\" +# flag --auth-jwt-hs256-secret\n")
        .containsPattern("\n  links:\n    key: \"\\*\\*\\*\\*\" +# flag --auth-links-key\n")
        .containsPattern("\n  key-sha256: \"\\*\\*\\*\\*\" +# flag --metrics-key-sha256\n");
    Settings keys = settings(Map.of(AuthOptions.KEYS, ALICE + ":alice:upload"));
    assertThat(ConfigPrinter.effective(keys)).doesNotContain(ALICE).contains("keys: \"****\"");
  }
}
