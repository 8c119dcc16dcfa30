package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.MutableClock;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy.Access;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessCacheTest {
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private final AccessCache cache =
      new AccessCache(Duration.ofSeconds(10), List.of("Authorization", "Cookie"), clock);
  private static final AccessCache.Decision ALLOW = new AccessCache.Decision(Optional.empty());

  private static RequestContext withAuth(String value) {
    return Fixtures.request("PATCH", Map.of("authorization", List.of(value)));
  }

  @Test
  void answer_isReusedForTheSameCredentialUploadAndAccessUntilTtl() {
    cache.put(withAuth("Bearer a"), Fixtures.ID, Access.PATCH, ALLOW);
    assertThat(cache.find(withAuth("Bearer a"), Fixtures.ID, Access.PATCH)).contains(ALLOW);
    assertThat(cache.find(withAuth("Bearer b"), Fixtures.ID, Access.PATCH)).isEmpty();
    assertThat(cache.find(withAuth("Bearer a"), Fixtures.ID, Access.GET)).isEmpty();
    clock.advance(Duration.ofSeconds(11));
    assertThat(cache.find(withAuth("Bearer a"), Fixtures.ID, Access.PATCH)).isEmpty();
  }

  @Test
  void credential_isPrincipalElseHeaderDigestElseAddress() {
    RequestContext authed = new RequestContext("GET", "/", "10.0.0.1:1", Map.of(),
        Optional.of(new Principal("alice", Set.of("upload"), Map.of())), "t");
    assertThat(cache.credential(authed)).isEqualTo("principal:alice");
    assertThat(cache.credential(withAuth("Bearer a"))).startsWith("headers:").doesNotContain("Bearer");
    assertThat(cache.credential(Fixtures.request("GET", Map.of()))).isEqualTo("address:127.0.0.1");
  }

  @Test
  void forget_dropsEveryAnswerAboutAnUpload() {
    cache.put(withAuth("Bearer a"), Fixtures.ID, Access.PATCH, ALLOW);
    cache.forget(Fixtures.ID);
    assertThat(cache.find(withAuth("Bearer a"), Fixtures.ID, Access.PATCH)).isEmpty();
  }
}
