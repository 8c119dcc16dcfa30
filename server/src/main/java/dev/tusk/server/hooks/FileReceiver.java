package dev.tusk.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tusd's file hooks: runs an executable with the hook request as JSON on stdin and reads its
 * stdout as the hook response; a non-zero exit code is a failure. If the target is a directory,
 * the executable is {@code <dir>/<hook name>} and a missing one means "nothing to say" (tusd {@code
 * -hooks-dir}). Environment: tusd's {@code TUS_ID}, {@code TUS_SIZE}, {@code TUS_OFFSET}, and
 * tusk's {@code TUSK_HOOK_NAME}, {@code TUSK_EVENT_ID} (the idempotency key). stderr goes to the
 * server's stderr. stdin and stdout go through temporary files, so a hook that does not read its
 * input or writes much cannot block; on timeout the process and its descendants are killed.
 */
final class FileReceiver implements Receiver {
  private static final Logger LOG = LoggerFactory.getLogger(FileReceiver.class);

  private final ReceiverConfig config;
  private final Path target;
  private final Path tmpDir;

  FileReceiver(ReceiverConfig config, Path tmpDir) {
    this.config = config;
    this.target = Path.of(config.target()).toAbsolutePath();
    this.tmpDir = tmpDir;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public java.time.Duration timeout() {
    return config.timeout();
  }

  @Override
  public HookResponse call(Invocation invocation) throws HookFailure {
    Path executable = Files.isDirectory(target) ? target.resolve(invocation.type().wireName()) : target;
    if (executable != target && !Files.exists(executable)) {
      return HookResponse.EMPTY;
    }
    Path in = null;
    Path out = null;
    try {
      Files.createDirectories(tmpDir);
      in = Files.createTempFile(tmpDir, "hook-", ".in");
      out = Files.createTempFile(tmpDir, "hook-", ".out");
      Files.write(in, invocation.body());
      ProcessBuilder builder =
          new ProcessBuilder(executable.toString())
              .directory(executable.getParent().toFile())
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      environment(builder.environment(), invocation);
      Process process = builder.start();
      if (!process.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new HookFailure(
            HookFailure.Kind.TIMEOUT, executable + " did not exit within " + config.timeout());
      }
      byte[] stdout;
      try (InputStream s = Files.newInputStream(out)) {
        stdout = s.readNBytes(HttpReceiver.MAX_RESPONSE_BYTES + 1);
      }
      if (process.exitValue() != 0) {
        throw new HookFailure(
            HookFailure.Kind.EXIT_CODE,
            executable + " exited with " + process.exitValue() + ": " + HttpReceiver.snippet(stdout));
      }
      if (stdout.length > HttpReceiver.MAX_RESPONSE_BYTES) {
        throw new HookFailure(HookFailure.Kind.BAD_RESPONSE, executable + " wrote more than 1 MiB");
      }
      return Receivers.parse(invocation, stdout, name(), LOG);
    } catch (IOException e) {
      throw new HookFailure(HookFailure.Kind.IO, "cannot run " + executable + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HookFailure(HookFailure.Kind.IO, "interrupted while running " + executable);
    } finally {
      deleteQuietly(in);
      deleteQuietly(out);
    }
  }

  private static void environment(Map<String, String> env, Invocation invocation) {
    JsonNode tree = invocation.tree();
    env.put("TUS_ID", Invocation.uploadField(tree, "ID").orElse(""));
    env.put("TUS_SIZE", Invocation.uploadField(tree, "Size").orElse("0"));
    env.put("TUS_OFFSET", Invocation.uploadField(tree, "Offset").orElse("0"));
    env.put("TUSK_HOOK_NAME", invocation.type().wireName());
    env.put("TUSK_EVENT_ID", invocation.eventId());
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a stale temp file is removed at the next start
      }
    }
  }
}
