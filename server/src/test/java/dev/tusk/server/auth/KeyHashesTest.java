package dev.tusk.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Scopes;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyHashesTest {
  // sha256("abc"), FIPS 180-2 appendix B.1
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void sha256Hex_knownVector() {
    assertThat(KeyHashes.sha256Hex("abc")).isEqualTo(ABC);
  }

  @Test
  void normalize_acceptsPrefixAndUpperCase() {
    assertThat(KeyHashes.normalize("sha256:" + ABC.toUpperCase())).isEqualTo(ABC);
  }

  @Test
  void normalize_plainKey_isRejectedWithAHint() {
    assertThatThrownBy(() -> KeyHashes.normalize("my-secret-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void find_matchesTheKeyWhoseHashIsConfigured() {
    List<byte[]> hashes =
        List.of(KeyHashes.sha256("first"), KeyHashes.sha256("second"), KeyHashes.sha256("third"));
    assertThat(KeyHashes.find("second", hashes)).contains(1);
    assertThat(KeyHashes.find("fourth", hashes)).isEmpty();
    assertThat(KeyHashes.find("", hashes)).isEmpty();
  }

  @Test
  void apiKeyAuthenticator_givesOwnerScopesLimitsAndTier() {
    ApiKey key =
        new ApiKey(KeyHashes.sha256Hex("k1"), "alice", Set.of(Scopes.UPLOAD),
            new Limits(java.util.OptionalLong.of(10), List.of("image/*"), java.util.Optional.empty()),
            "gold");
    Authenticator.Result ok = new ApiKeyAuthenticator(List.of(key)).authenticate("k1");
    assertThat(ok.principal()).hasValueSatisfying(p -> {
      assertThat(p.id()).isEqualTo("alice");
      assertThat(p.scopes()).containsExactly(Scopes.UPLOAD);
      assertThat(p.claims()).containsEntry("maxSize", "10").containsEntry("tier", "gold");
    });
    assertThat(new ApiKeyAuthenticator(List.of(key)).authenticate("k2").principal()).isEmpty();
  }
}
