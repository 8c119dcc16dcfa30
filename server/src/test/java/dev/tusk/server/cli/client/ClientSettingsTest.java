package dev.tusk.server.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

class ClientSettingsTest {
  private final CommandSpec spec = new CommandLine(new DownloadCommand(Map.of())).getCommandSpec();

  @Test
  void parse_readsHeadersRetriesAndTheStateFile() {
    ClientSettings s = ClientSettings.parse(
        spec, List.of("Authorization: Bearer x", "X-A:1"), "0,1s", "1MiB", Path.of("/tmp/s.json"), Map.of());
    assertThat(s.headers()).containsExactly(
        new TusClient.Header("Authorization", "Bearer x"), new TusClient.Header("X-A", "1"));
    assertThat(s.retries().attempts()).isEqualTo(2);
    assertThat(s.state().path()).isEqualTo(Path.of("/tmp/s.json"));
  }

  @Test
  void parse_withoutStateFile_usesTheDefaultPath() {
    ClientSettings s = ClientSettings.parse(spec, List.of(), "none", null, null, Map.of("XDG_STATE_HOME", "/srv/state"));
    assertThat(s.state().path()).isEqualTo(Path.of("/srv/state/tusk/uploads.json"));
    assertThat(s.retries().attempts()).isZero();
    assertThat(s.headers()).isEmpty();
  }

  @Test
  void parse_badValues_areUsageErrorsNamingWhatWasWrong() {
    assertThatThrownBy(() -> ClientSettings.parse(spec, List.of("no colon"), "0", null, null, Map.of()))
        .isInstanceOf(ParameterException.class).hasMessageContaining("'no colon' is not a header");
    assertThatThrownBy(() -> ClientSettings.parse(spec, List.of(), "1s,soon", null, null, Map.of()))
        .isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> ClientSettings.parse(spec, List.of(), "0", "fast", null, Map.of()))
        .isInstanceOf(ParameterException.class).hasMessageStartingWith("--limit-rate: ");
  }
}
