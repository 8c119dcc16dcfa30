package dev.tusk.server.options;

import static dev.tusk.server.options.HooksOptions.*;

import dev.tusk.server.hooks.HookType;
import dev.tusk.server.hooks.HooksConfig;
import dev.tusk.server.hooks.ReceiverConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads the options declared in {@link HooksOptions} into the validated {@link HooksConfig}: builds
 * it from {@link Settings} and checks the rules between hook options.
 */
public final class HooksConfigReader {
  private HooksConfigReader() {}

  /** What does not fit together, each naming the options as the user wrote them. */
  static List<String> problems(Settings s) {
    List<String> problems = new ArrayList<>();
    List<URI> urls = s.get(HTTP);
    if (new HashSet<>(urls).size() != urls.size()) {
      problems.add("invalid " + s.nameOf(HTTP) + ": a URL is listed twice");
    }
    Optional<Path> file = s.get(FILE);
    if (file.isPresent()) {
      Path p = file.get();
      if (!Files.exists(p)) {
        problems.add("invalid " + s.nameOf(FILE) + ": '" + p + "' does not exist");
      } else if (!Files.isDirectory(p) && !Files.isExecutable(p)) {
        problems.add("invalid " + s.nameOf(FILE) + ": '" + p + "' is neither a directory nor executable");
      }
    }
    if (s.get(TIMEOUT).isZero() || s.get(TIMEOUT).isNegative()) {
      problems.add("invalid " + s.nameOf(TIMEOUT) + ": " + s.shown(TIMEOUT) + " is not positive");
    }
    if (!s.get(HEADER).isEmpty()) {
      if (urls.isEmpty()) {
        problems.add(s.nameOf(HEADER) + " is set but " + HTTP.key() + " (" + HTTP.flag() + ", " + HTTP.env()
            + ") names no HTTP receiver");
      }
      try {
        ReceiverConfig.http("http://127.0.0.1/").withHeaders(s.get(HEADER));
      } catch (IllegalArgumentException e) {
        problems.add("invalid " + s.nameOf(HEADER) + ": " + e.getMessage());
      }
    }
    if (s.get(PROCESSING_GATE)) {
      if (urls.isEmpty() && file.isEmpty()) {
        problems.add(s.nameOf(PROCESSING_GATE) + " needs a receiver (" + HTTP.key() + " or " + FILE.key()
            + "): nothing else can release a finished upload");
      } else if (!s.get(ENABLED).contains(HookType.POST_FINISH)) {
        problems.add(s.nameOf(PROCESSING_GATE) + " needs post-finish in " + s.nameOf(ENABLED)
            + ": nothing else can release a finished upload");
      }
    }
    return problems;
  }

  /**
   * The hooks configuration: one receiver per {@code hooks.http} URL (with {@code hooks.header})
   * and one for {@code hooks.file}; no receivers (hooks off) when neither is set.
   */
  public static HooksConfig from(Settings s) throws ConfigException {
    List<String> problems = problems(s);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    try {
      List<ReceiverConfig> receivers = new ArrayList<>();
      for (URI url : s.get(HTTP)) {
        receivers.add(ReceiverConfig.http(url.toString()).withTimeout(s.get(TIMEOUT)).withHeaders(s.get(HEADER)));
      }
      s.get(FILE).ifPresent(
          p -> receivers.add(ReceiverConfig.file(p.toAbsolutePath().toString()).withTimeout(s.get(TIMEOUT))));
      HooksConfig defaults = HooksConfig.defaults();
      return defaults
          .withReceivers(receivers)
          .withEnabled(s.get(ENABLED))
          .withRetries(s.get(RETRIES), defaults.retryBackoff())
          .withFailOpen(s.get(FAIL_OPEN))
          .withProgressInterval(s.get(PROGRESS_INTERVAL))
          .withAccessCacheTtl(s.get(ACCESS_CACHE_TTL))
          .withOutboxDir(s.get(OUTBOX_DIR).orElse(s.get(ServerOptions.UPLOAD_DIR).resolve(".hooks-outbox")))
          .withProcessingGate(s.get(PROCESSING_GATE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid hooks configuration (hooks.*): " + e.getMessage());
    }
  }
}
