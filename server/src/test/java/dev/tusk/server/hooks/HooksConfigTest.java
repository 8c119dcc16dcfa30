package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HooksConfigTest {

  @Test
  void defaults_followTusd() {
    HooksConfig c = HooksConfig.defaults();
    assertThat(c.enabled()).containsExactlyInAnyOrder(HookType.PRE_CREATE, HookType.POST_CREATE,
        HookType.POST_RECEIVE, HookType.POST_FINISH, HookType.POST_TERMINATE);
    assertThat(c.retries()).isEqualTo(3);
    assertThat(c.failOpen()).isFalse();
    assertThat(ReceiverConfig.http("http://127.0.0.1:1/hooks").timeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void receivers_getStableDefaultNamesAndTypeFilters() {
    ReceiverConfig a = ReceiverConfig.http("http://127.0.0.1:1/hooks");
    assertThat(a.name()).isEqualTo(ReceiverConfig.http("http://127.0.0.1:1/hooks").name()).startsWith("http-");
    ReceiverConfig b = ReceiverConfig.file("/opt/hooks").withTypes(Set.of(HookType.POST_FINISH));
    HooksConfig c = HooksConfig.defaults().withReceivers(List.of(a, b));
    assertThat(c.receiversOf(HookType.POST_FINISH)).containsExactly(a, b);
    assertThat(c.receiversOf(HookType.PRE_CREATE)).containsExactly(a);
    assertThat(c.sends(HookType.PRE_ACCESS)).isFalse();
  }

  @Test
  void badValues_areRefusedWithTheirName() {
    assertThatThrownBy(() -> ReceiverConfig.http("ftp://x/"))
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> ReceiverConfig.http("http://x/").withName("Bad Name"))
        .hasMessageContaining("Bad Name");
    assertThatThrownBy(() -> ReceiverConfig.http("http://x/").withHeaders(Map.of("Host", "y")))
        .hasMessageContaining("Host");
    ReceiverConfig r = ReceiverConfig.http("http://x/");
    assertThatThrownBy(() -> HooksConfig.defaults().withReceivers(List.of(r, r)))
        .hasMessageContaining("two hook receivers");
    assertThatThrownBy(() -> HooksConfig.defaults().withBackoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .hasMessageContaining("backoff");
    assertThatThrownBy(() -> HooksConfig.defaults().withReceivers(List.of(r))
            .withEnabled(Set.of(HookType.PRE_CREATE)).withProcessingGate(true))
        .hasMessageContaining("post-finish");
  }

  @Test
  void hookTypes_parseByWireOrEnumName() {
    assertThat(HookType.parse("pre-access")).contains(HookType.PRE_ACCESS);
    assertThat(HookType.parse("POST_FINISH")).contains(HookType.POST_FINISH);
    assertThat(HookType.parse("post-expire")).isEmpty();
  }
}
