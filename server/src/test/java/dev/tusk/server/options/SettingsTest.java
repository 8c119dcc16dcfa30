package dev.tusk.server.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("tusk.yaml"), text);
  }

  @Test
  void load_nothingGiven_everyOptionHasItsDefault() throws Exception {
    Settings s = Settings.load(Map.of(), Map.of(), Optional.empty());
    assertThat(s.get(ServerOptions.PORT)).isEqualTo(8080);
    assertThat(s.get(ServerOptions.TTL)).isEqualTo(Duration.ofHours(24));
    assertThat(s.get(ServerOptions.CORS_ORIGINS)).containsExactly("*");
    assertThat(s.get(ServerOptions.METRICS_PORT)).isEqualTo(OptionalInt.empty());
    assertThat(s.source(ServerOptions.PORT)).isEqualTo(Source.DEFAULT);
  }

  @Test
  void load_flagsBeatEnvBeatFileBeatDefaults() throws Exception {
    Path file = yaml("port: 7000\nttl: 1h\nmax-size: 1GiB\nlog:\n  format: json\n");
    Settings s =
        Settings.load(
            Map.of(ServerOptions.PORT, "9000"),
            Map.of("TUSK_PORT", "8000", "TUSK_TTL", "2h"),
            Optional.of(file));
    assertThat(s.get(ServerOptions.PORT)).isEqualTo(9000);
    assertThat(s.source(ServerOptions.PORT).describe()).isEqualTo("flag --port");
    assertThat(s.get(ServerOptions.TTL)).isEqualTo(Duration.ofHours(2));
    assertThat(s.source(ServerOptions.TTL).describe()).isEqualTo("env TUSK_TTL");
    assertThat(s.get(ServerOptions.MAX_SIZE)).isEqualTo(1L << 30);
    assertThat(s.source(ServerOptions.MAX_SIZE).describe()).isEqualTo("file " + file);
    assertThat(s.get(ServerOptions.LOG_FORMAT)).isEqualTo("json");
    assertThat(s.get(ServerOptions.HOST)).isEqualTo("0.0.0.0");
  }

  @Test
  void load_fileNamedByTuskConfig_whenNoFlag() throws Exception {
    Path file = yaml("tls:\n  cert: /etc/tls/cert.pem\nmetrics: {port: 9100}\ncors-origins: [a.example, b.example]\n");
    Settings s = Settings.load(Map.of(), Map.of("TUSK_CONFIG", file.toString()), Optional.empty());
    assertThat(s.get(ServerOptions.TLS_CERT)).contains(Path.of("/etc/tls/cert.pem"));
    assertThat(s.get(ServerOptions.METRICS_PORT)).isEqualTo(OptionalInt.of(9100));
    assertThat(s.get(ServerOptions.CORS_ORIGINS)).containsExactly("a.example", "b.example");
    assertThat(s.file()).contains(file);
  }

  @Test
  void load_unknownKeyInFile_isAnErrorWithASuggestion() throws Exception {
    Path file = yaml("prot: 80\nlog:\n  fromat: json\n");
    assertThatThrownBy(() -> Settings.load(Map.of(), Map.of(), Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option 'prot' in " + file + " (did you mean 'port'?)")
        .hasMessageContaining("unknown option 'log.fromat'");
  }

  @Test
  void load_badValues_nameTheOptionAsWrittenInItsSource() throws Exception {
    Path file = yaml("ttl: soon\n");
    assertThatThrownBy(() -> Settings.load(
            Map.of(ServerOptions.PORT, "abc"), Map.of("TUSK_FSYNC", "perhaps"), Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
            "invalid --port: 'abc' is not an integer",
            "invalid ttl in " + file + ": 'soon' is not a duration (e.g. 500ms, 90s, 30m, 24h, 7d)",
            "invalid TUSK_FSYNC: 'perhaps' is not a boolean (true or false)"));
  }

  @Test
  void load_missingOrBrokenFile_isAnError() throws Exception {
    assertThatThrownBy(() -> Settings.load(Map.of(), Map.of(), Optional.of(dir.resolve("none.yaml"))))
        .hasMessageContaining("does not exist");
    Path broken = yaml("port: [1\n");
    assertThatThrownBy(() -> Settings.load(Map.of(), Map.of(), Optional.of(broken)))
        .hasMessageContaining("is not valid YAML");
    Path duplicate = yaml("port: 1\nport: 2\n");
    assertThatThrownBy(() -> Settings.load(Map.of(), Map.of(), Optional.of(duplicate)))
        .hasMessageContaining("is not valid YAML");
  }

  @Test
  void shown_masksSecretsAndUrlPasswords() throws Exception {
    Settings s = Settings.load(
        Map.of(ServerOptions.S3_SECRET_KEY, "wJalrXUtnFEMI", ServerOptions.REDIS_URL, "redis://:hunter2@redis:6379"),
        Map.of(), Optional.empty());
    String printed = ConfigPrinter.effective(s);
    assertThat(printed).doesNotContain("wJalrXUtnFEMI").doesNotContain("hunter2");
    assertThat(printed).contains("secret-key: \"****\"").contains("url: \"redis://:****@redis:6379\"");
    assertThat(printed).contains("# flag --s3-secret-key");
  }

  @Test
  void effective_isYamlThatLoadsBackToTheSameValues() throws Exception {
    Settings s = Settings.load(Map.of(ServerOptions.PORT, "9000", ServerOptions.CORS_ORIGINS, "a,b"), Map.of(), Optional.empty());
    Path file = yaml(ConfigPrinter.effective(s));
    Settings again = Settings.load(Map.of(), Map.of(), Optional.of(file));
    for (Option<?> o : ServerOptions.ALL) {
      assertThat(again.get(o)).as(o.key()).isEqualTo(s.get(o));
    }
  }

  @Test
  void options_namesAreDerivedAndUnique() {
    assertThat(ServerOptions.TLS_CERT.flag()).isEqualTo("--tls-cert");
    assertThat(ServerOptions.TLS_CERT.env()).isEqualTo("TUSK_TLS_CERT");
    assertThat(ServerOptions.S3_INFO_PREFIX.env()).isEqualTo("TUSK_S3_INFO_PREFIX");
    assertThat(ServerOptions.ALL.stream().map(Option::env).distinct()).hasSameSizeAs(ServerOptions.ALL);
    assertThat(ServerOptions.ALL.stream().map(Option::flag).distinct()).hasSameSizeAs(ServerOptions.ALL);
    for (Option<?> o : ServerOptions.ALL) {
      assertThat(o.parse(o.defaultValue())).as("default of " + o.key()).isNotNull();
    }
  }

  @Test
  void shippedTuskYaml_listsEveryOptionAtItsDefault() throws Exception {
    Path shipped = Path.of("../config/tusk.yaml");
    Settings file = Settings.load(Map.of(), Map.of(), Optional.of(shipped));
    Settings defaults = Settings.load(Map.of(), Map.of(), Optional.empty());
    String text = Files.readString(shipped);
    for (Option<?> o : ServerOptions.ALL) {
      assertThat(file.source(o).kind()).as(o.key() + " is set in config/tusk.yaml").isEqualTo(Source.Kind.FILE);
      assertThat(file.get(o)).as(o.key() + " in config/tusk.yaml is its default").isEqualTo(defaults.get(o));
      assertThat(text).as("config/tusk.yaml names " + o.env()).contains(o.env());
    }
  }

  @Test
  void operationsDoc_documentsEveryOption() throws Exception {
    String doc = Files.readString(Path.of("../docs/operations.md"));
    for (Option<?> o : ServerOptions.ALL) {
      assertThat(doc).as("docs/operations.md documents " + o.key())
          .contains("`" + o.key() + "`").contains("`" + o.flag() + "`").contains("`" + o.env() + "`");
    }
  }

  @Test
  void reference_hasOneRowPerOption() {
    List<String> rows = ConfigPrinter.reference().lines().toList();
    assertThat(rows).hasSize(ServerOptions.ALL.size() + 2);
  }
}
