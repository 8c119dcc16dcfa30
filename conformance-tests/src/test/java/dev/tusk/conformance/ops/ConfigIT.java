package dev.tusk.conformance.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tusk.conformance.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration through the real command line: precedence, validation, the effective view. */
class ConfigIT {
  @TempDir Path dir;

  @BeforeEach
  void fsOnly() {
    assumeThat(StoreKind.current()).as("child-process tests run in the fs execution").isEqualTo(StoreKind.FS);
  }

  @Test
  @DisplayName("tusk serve --port abc exits non-zero and names the option and the value")
  void serve_badFlag_exits2NamingOptionAndValue() throws Exception {
    TuskProcess.Result r = TuskProcess.run(dir, Map.of(), "serve", "--port", "abc");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.output()).contains("tusk: invalid --port: 'abc' is not an integer");
  }

  @Test
  @DisplayName("tusk serve --ttl with more days than a duration holds exits 2 naming the option, without a stack trace")
  void serve_durationBeyondRange_exits2NamingOptionAndValue() throws Exception {
    TuskProcess.Result r = TuskProcess.run(dir, Map.of(), "serve", "--ttl", "9999999999999999d");
    assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
    assertThat(r.output())
        .contains("tusk: invalid --ttl: '9999999999999999d' is too large")
        .doesNotContain("Exception");
  }

  @Test
  @DisplayName("An unknown key in the YAML file is an error; a bad environment value names its variable")
  void serve_unknownYamlKeyAndBadEnv_exit2() throws Exception {
    Path file = Files.writeString(dir.resolve("tusk.yaml"), "port: 8080\nshutdown_timeout: 5s\n");
    TuskProcess.Result r = TuskProcess.run(dir, Map.of("TUSK_READ_TIMEOUT", "forever"), "serve", "--config", file.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.output())
        .contains("unknown option 'shutdown_timeout' in " + file + " (did you mean 'shutdown-timeout'?)")
        .contains("invalid TUSK_READ_TIMEOUT: 'forever' is not a duration");
  }

  @Test
  @DisplayName("tusk config: flags > env > file > defaults, each value with its source, secrets masked")
  void config_showsPrecedenceAndSources_andMasksSecrets() throws Exception {
    Path file = Files.writeString(dir.resolve("tusk.yaml"),
        "port: 7000\nttl: 12h\nmax-size: 1GiB\ns3:\n  access-key: AKIAEXAMPLE\n  secret-key: wJalrXUtnFEMIEXAMPLEKEY\n");
    TuskProcess.Result r = TuskProcess.run(dir,
        Map.of("TUSK_CONFIG", file.toString(), "TUSK_PORT", "8000", "TUSK_TTL", "6h",
            "TUSK_REDIS_URL", "redis://:redispass@redis:6379/0"),
        "config", "--port", "9000");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .containsPattern("port: 9000 +# flag --port")
        .containsPattern("ttl: \"6h\" +# env TUSK_TTL")
        .containsPattern("max-size: \"1GiB\" +# file " + Path.of(file.toString()))
        .containsPattern("max-ttl: \"7d\" +# default")
        .contains("secret-key: \"****\"").contains("url: \"redis://:****@redis:6379/0\"")
        .doesNotContain("wJalrXUtnFEMIEXAMPLEKEY").doesNotContain("redispass");
  }
}
