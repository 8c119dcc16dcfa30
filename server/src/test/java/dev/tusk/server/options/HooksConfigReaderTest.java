package dev.tusk.server.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.server.hooks.HookType;
import dev.tusk.server.hooks.HooksConfig;
import dev.tusk.server.hooks.ReceiverConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HooksConfigReaderTest {
  @TempDir Path dir;

  private static Settings settings(Map<Option<?>, String> flags) throws ConfigException {
    return Settings.load(flags, Map.of(), Optional.empty());
  }

  @Test
  void from_nothingSet_hasNoReceiversAndTusdDefaults() throws Exception {
    HooksConfig c = HooksConfigReader.from(settings(Map.of(ServerOptions.UPLOAD_DIR, dir.toString())));
    assertThat(c.receivers()).isEmpty();
    assertThat(c.enabled()).isEqualTo(HookType.defaults());
    assertThat(c.retries()).isEqualTo(3);
    assertThat(c.failOpen()).isFalse();
    assertThat(c.outboxDir()).isEqualTo(dir.resolve(".hooks-outbox"));
  }

  @Test
  void from_httpAndFile_oneReceiverEach_withTimeoutAndHeader() throws Exception {
    Path script = Files.createFile(dir.resolve("hook.sh"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    HooksConfig c = HooksConfigReader.from(settings(Map.of(
        HooksOptions.HTTP, "http://127.0.0.1:8000/a, https://hooks.example.com/b",
        HooksOptions.FILE, script.toString(),
        HooksOptions.ENABLED, "pre-create,PRE_ACCESS,post-finish",
        HooksOptions.TIMEOUT, "2s",
        HooksOptions.HEADER, "X-Hook-Secret:  s3cr3t ",
        HooksOptions.OUTBOX_DIR, dir.resolve("outbox").toString(),
        HooksOptions.PROCESSING_GATE, "true",
        HooksOptions.FAIL_OPEN, "true")));
    assertThat(c.receivers()).extracting(ReceiverConfig::kind)
        .containsExactly(ReceiverConfig.Kind.HTTP, ReceiverConfig.Kind.HTTP, ReceiverConfig.Kind.FILE);
    assertThat(c.receivers()).allSatisfy(r -> assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(2)));
    assertThat(c.receivers().get(0).headers()).isEqualTo(Map.of("X-Hook-Secret", "s3cr3t"));
    assertThat(c.receivers().get(2).headers()).isEmpty();
    assertThat(c.enabled()).isEqualTo(Set.of(HookType.PRE_CREATE, HookType.PRE_ACCESS, HookType.POST_FINISH));
    assertThat(c.outboxDir()).isEqualTo(dir.resolve("outbox"));
    assertThat(c.processingGate()).isTrue();
    assertThat(c.failOpen()).isTrue();
  }

  @Test
  void load_badValues_nameTheOptionAndNeverTheHeaderValue() {
    assertThatThrownBy(() -> settings(Map.of(
            HooksOptions.HTTP, "ftp://example.com/x",
            HooksOptions.ENABLED, "pre-create,post-upload",
            HooksOptions.RETRIES, "11",
            HooksOptions.HEADER, "no colon s3cr3t")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
            "invalid --hooks-http: 'ftp://example.com/x' is not a http or https URL with a host",
            "invalid --hooks-enabled: 'post-upload' is not a hook type (one of pre-create, post-create, "
                + "post-receive, pre-finish, post-finish, pre-terminate, post-terminate, pre-access, "
                + "post-expiry-change)",
            "invalid --hooks-retries: 11 is out of range 0..10",
            "invalid --hooks-header: expected \"Name: value\" with a header name before the colon"))
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void problems_optionsThatDoNotFitTogether_areNamed() throws Exception {
    Path notExecutable = Files.writeString(dir.resolve("hook.txt"), "echo");
    Settings s = settings(Map.of(
        HooksOptions.FILE, notExecutable.toString(),
        HooksOptions.HEADER, "Content-Type: text/plain",
        HooksOptions.TIMEOUT, "0s",
        HooksOptions.PROCESSING_GATE, "true",
        HooksOptions.ENABLED, "pre-create"));
    assertThat(HooksConfigReader.problems(s)).containsExactly(
        "invalid --hooks-file: '" + notExecutable + "' is neither a directory nor executable",
        "invalid --hooks-timeout: 0s is not positive",
        "--hooks-header is set but hooks.http (--hooks-http, TUSK_HOOKS_HTTP) names no HTTP receiver",
        "invalid --hooks-header: receiver header Content-Type cannot be set",
        "--hooks-processing-gate needs post-finish in --hooks-enabled: nothing else can release a finished upload");
    assertThatThrownBy(() -> ServerConfigReader.from(s)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--hooks-timeout");
  }

  @Test
  void problems_gateWithoutReceiver_andDuplicateUrl() throws Exception {
    assertThat(HooksConfigReader.problems(settings(Map.of(HooksOptions.PROCESSING_GATE, "true"))))
        .containsExactly("--hooks-processing-gate needs a receiver (hooks.http or hooks.file): "
            + "nothing else can release a finished upload");
    assertThat(HooksConfigReader.problems(settings(Map.of(HooksOptions.HTTP, "http://h/x,http://h/x"))))
        .containsExactly("invalid --hooks-http: a URL is listed twice");
  }

  @Test
  void effective_masksTheHeaderAndUrlPasswords() throws Exception {
    Settings s = settings(Map.of(
        HooksOptions.HTTP, "http://user:hunter2@127.0.0.1:9/a,http://127.0.0.1:9/b",
        HooksOptions.HEADER, "X-Hook-Secret: s3cr3t"));
    String printed = ConfigPrinter.effective(s);
    assertThat(printed).doesNotContain("hunter2").doesNotContain("s3cr3t")
        .contains("http: \"http://user:****@127.0.0.1:9/a,http://127.0.0.1:9/b\"")
        .contains("header: \"****\"");
    assertThat(HooksOptions.HTTP.parse("http://127.0.0.1:9/a")).hasSize(1);
    assertThat(HooksOptions.ENABLED.parse("")).isEmpty();
    assertThat(List.of(HooksOptions.HTTP.flag(), HooksOptions.ACCESS_CACHE_TTL.env()))
        .containsExactly("--hooks-http", "TUSK_HOOKS_ACCESS_CACHE_TTL");
  }
}
