package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.hooks.Outbox.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
  @TempDir Path dir;

  private static Entry entry(String receiver) {
    return new Entry("e1", HookType.POST_FINISH, receiver, Fixtures.ID.value(), Fixtures.T0,
        "{\"Type\":\"post-finish\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void pendingEntry_isNotReadyUntilPromoted() throws Exception {
    Outbox outbox = new Outbox(dir, true);
    outbox.write(entry("a"), true);
    assertThat(outbox.list(false)).isEmpty();
    assertThat(outbox.list(true)).hasSize(1);
    assertThat(outbox.promote(entry("a"))).isTrue();
    assertThat(outbox.promote(entry("a"))).isFalse();
    Entry read = outbox.list(false).get(0);
    assertThat(read.eventId()).isEqualTo("e1");
    assertThat(read.type()).isEqualTo(HookType.POST_FINISH);
    assertThat(read.createdAt()).isEqualTo(Fixtures.T0);
    assertThat(new String(read.request(), StandardCharsets.UTF_8)).isEqualTo("{\"Type\":\"post-finish\"}");
  }

  @Test
  void entries_arePerReceiverAndDeletedOrBuried() throws Exception {
    Outbox outbox = new Outbox(dir, false);
    outbox.write(entry("a"), false);
    outbox.write(entry("b"), false);
    outbox.delete(entry("a"), false);
    outbox.bury(entry("b"));
    assertThat(outbox.list(false)).isEmpty();
    assertThat(dir.resolve("dead").resolve("e1.b.event")).exists();
  }

  @Test
  void reopening_dropsTempFilesAndBuriesUnreadableOnes() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("e9.a.x.tmp"), "half");
    Files.writeString(dir.resolve("e8.a.event"), "{not json");
    Outbox outbox = new Outbox(dir, false);
    assertThat(outbox.list(false)).isEmpty();
    assertThat(dir.resolve("e9.a.x.tmp")).doesNotExist();
    assertThat(dir.resolve("dead").resolve("e8.a.event")).exists();
  }
}
