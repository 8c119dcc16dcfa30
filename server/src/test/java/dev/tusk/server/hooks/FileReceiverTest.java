package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReceiverTest {
  @TempDir Path dir;

  private Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/bash\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  private FileReceiver receiver(Path target, Duration timeout) {
    return new FileReceiver(ReceiverConfig.file(target.toString()).withTimeout(timeout), dir.resolve("tmp"));
  }

  private static Invocation invocation(HookType type) {
    String json = "{\"Type\":\"" + type.wireName() + "\",\"Event\":{\"Upload\":{\"ID\":\"abc12345\",\"Size\":7,\"Offset\":3}}}";
    return new Invocation(type, "key-1", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void stdinIsTheRequest_stdoutTheResponse_envCarriesIds() throws Exception {
    Path hook = script("hook", """
        in=$(cat)
        [[ "$in" == *'"Type":"pre-create"'* ]] || exit 3
        [[ "$TUS_ID $TUS_SIZE $TUS_OFFSET $TUSK_HOOK_NAME $TUSK_EVENT_ID" == "abc12345 7 3 pre-create key-1" ]] || exit 4
        echo '{"RejectUpload": true}'
        """);
    assertThat(receiver(hook, Duration.ofSeconds(10)).call(invocation(HookType.PRE_CREATE)).rejectUpload()).isTrue();
  }

  @Test
  void nonZeroExit_isAFailure() throws Exception {
    Path hook = script("hook", "echo oops; exit 2");
    assertThatThrownBy(() -> receiver(hook, Duration.ofSeconds(10)).call(invocation(HookType.PRE_CREATE)))
        .isInstanceOfSatisfying(HookFailure.class, f -> assertThat(f.kind()).isEqualTo(HookFailure.Kind.EXIT_CODE));
  }

  @Test
  void hookThatRunsTooLong_isKilled() throws Exception {
    Path hook = script("hook", "sleep 30");
    long start = System.nanoTime();
    assertThatThrownBy(() -> receiver(hook, Duration.ofMillis(300)).call(invocation(HookType.PRE_CREATE)))
        .isInstanceOfSatisfying(HookFailure.class, f -> assertThat(f.kind()).isEqualTo(HookFailure.Kind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void directory_runsTheHookOfThatNameAndIgnoresMissingOnes() throws Exception {
    Path hooks = Files.createDirectory(dir.resolve("hooks"));
    Files.move(script("post-finish", "echo '{\"StopUpload\": true}'"), hooks.resolve("post-finish"));
    FileReceiver r = receiver(hooks, Duration.ofSeconds(10));
    assertThat(r.call(invocation(HookType.POST_FINISH)).stopUpload()).isTrue();
    assertThat(r.call(invocation(HookType.PRE_CREATE))).isEqualTo(HookResponse.EMPTY);
  }
}
