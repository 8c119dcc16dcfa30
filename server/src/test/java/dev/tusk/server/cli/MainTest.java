package dev.tusk.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(env);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void config_printsSourcesAndMasksSecrets() throws Exception {
    Path file = Files.writeString(dir.resolve("tusk.yaml"), "port: 7000\ns3:\n  secret-key: from-file-secret\n");
    int code = run(Map.of("TUSK_PORT", "8000", "TUSK_REDIS_URL", "redis://:pw123@r:6379"),
        "config", "--config", file.toString(), "--fsync", "--s3-access-key", "AKIA");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("port: 8000").contains("# env TUSK_PORT")
        .contains("fsync: true").contains("# flag --fsync")
        .contains("secret-key: \"****\"").contains("# file " + file)
        .doesNotContain("from-file-secret").doesNotContain("pw123");
  }

  @Test
  void serve_invalidValue_exits2NamingTheOption() {
    assertThat(run(Map.of(), "serve", "--port", "abc")).isEqualTo(2);
    assertThat(err.toString()).contains("invalid --port: 'abc' is not an integer");
  }

  @Test
  void config_unknownYamlKey_exits2() throws Exception {
    Path file = Files.writeString(dir.resolve("tusk.yaml"), "uplaod-dir: /tmp\n");
    assertThat(run(Map.of(), "config", "-c", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("unknown option 'uplaod-dir'").contains("did you mean 'upload-dir'?");
  }

  @Test
  void config_reference_listsEveryOption() {
    assertThat(run(Map.of(), "config", "--reference")).isZero();
    assertThat(out.toString()).contains("| `tls.cert` | `--tls-cert` | `TUSK_TLS_CERT` |");
  }

  @Test
  void unknownFlag_isAPicocliError() {
    assertThat(run(Map.of(), "serve", "--prot", "80")).isEqualTo(2);
    assertThat(err.toString()).contains("tusk: Unknown options: '--prot', '80'").contains("tusk serve --help")
        .doesNotContain("Usage:");
  }

  @Test
  void health_nothingListening_exits1() {
    assertThat(run(Map.of(), "health", "--url", "http://127.0.0.1:1/health/live")).isEqualTo(1);
    assertThat(out.toString()).contains("unreachable");
  }

  @Test
  void health_target_followsTheConfiguration() throws Exception {
    var settings = dev.tusk.server.options.Settings.load(
        Map.of(), Map.of("TUSK_PORT", "9000", "TUSK_METRICS_PORT", "9100"), java.util.Optional.empty());
    assertThat(HealthCommand.target(dev.tusk.server.options.ServerConfigReader.from(settings), true))
        .hasToString("http://127.0.0.1:9100/health/ready");
  }

  @Test
  void upload_help_namesEveryFlag() {
    assertThat(run(Map.of(), "upload", "--help")).isZero();
    assertThat(out.toString()).contains("--endpoint=URL", "--header", "--metadata", "--chunk-size", "--parallel",
        "--checksum", "--retry-delays", "--limit-rate", "--no-resume", "--forget", "--state-file", "--quiet",
        "--json", "Exit status");
  }

  @Test
  void upload_badUsage_exits2WithTheReason() {
    assertThat(run(Map.of(), "upload", "a.bin")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--endpoint=URL'");
    assertThat(run(Map.of(), "upload", "a.bin", "-e", "http://127.0.0.1:1/files/", "--chunk-size", "big")).isEqualTo(2);
    assertThat(err.toString()).contains("--chunk-size: 'big' is not a size");
    assertThat(run(Map.of(), "upload", "a.bin", "-e", "ftp://x/", "--no-resume")).isEqualTo(2);
    assertThat(err.toString()).contains("--endpoint: 'ftp://x/' not an http or https URL");
    assertThat(run(Map.of(), "upload", "a.bin", "-e", "http://x/", "--checksum", "crc32")).isEqualTo(2);
    assertThat(err.toString()).contains("'crc32' is not one of md5,sha1,sha256,sha512");
  }
}
