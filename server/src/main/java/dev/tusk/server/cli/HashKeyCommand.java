package dev.tusk.server.cli;

import dev.tusk.server.auth.KeyHashes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tusk hash-key KEY}: prints the SHA-256 (hex) of an API key, what {@code auth.keys} and
 * {@code metrics.key-sha256} hold. Without KEY, or with {@code -}, the key is the first line of
 * standard input (keeps it out of the shell history).
 */
@Command(
    name = "hash-key",
    mixinStandardHelpOptions = true,
    description = "Print the SHA-256 of an API key for auth.keys or metrics.key-sha256.")
final class HashKeyCommand implements Callable<Integer> {
  /** Random keys shorter than this (16 bytes, 128 bits) can be guessed from their hash. */
  private static final int MIN_BYTES = 16;

  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "KEY",
      description = "The key; omit it or give - to read it from standard input.")
  String key;

  @Override
  public Integer call() throws IOException {
    String k = key;
    if (k == null || k.equals("-")) {
      k = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (k == null || k.isEmpty()) {
      spec.commandLine().getErr().println("tusk: no key given");
      spec.commandLine().getErr().flush();
      return 2;
    }
    if (k.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
      spec.commandLine().getErr().println(
          "tusk: warning: a key shorter than " + MIN_BYTES + " bytes can be guessed from its hash; "
              + "use 32 random bytes (head -c 32 /dev/urandom | base64)");
      spec.commandLine().getErr().flush();
    }
    spec.commandLine().getOut().println(KeyHashes.sha256Hex(k));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
