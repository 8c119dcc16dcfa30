package dev.tusk.conformance.hooks;

import dev.tusk.server.TuskServer;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.hooks.HookPolicy;
import dev.tusk.server.hooks.Hooks;
import dev.tusk.server.hooks.ReceiverConfig;
import dev.tusk.store.fs.FsUploadStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A tusk server with hooks in its own process, for the crash test (the CLI does not wire hooks
 * yet): {@code HookServerMain <upload dir> <outbox dir> <receiver URL>}. Prints {@code LISTENING
 * <port>} once it serves, then runs until killed.
 */
public final class HookServerMain {
  private HookServerMain() {}

  public static void main(String[] args) throws Exception {
    Path uploads = Path.of(args[0]);
    Clock clock = Clock.systemUTC();
    FsUploadStore store = new FsUploadStore(uploads, clock);
    HookPolicy hooks =
        Hooks.create(
            HookedTusk.fast(Path.of(args[1]))
                .withFsync(true)
                .withReceivers(List.of(ReceiverConfig.http(args[2]).withTimeout(Duration.ofSeconds(2)))),
            store,
            clock);
    ServerConfig config =
        ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(uploads);
    TuskServer server = TuskServer.builder(config).store(store).clock(clock).policy(hooks).start();
    System.out.println("LISTENING " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
