package dev.tusk.server.options;

import static dev.tusk.server.options.OptionKinds.bool;
import static dev.tusk.server.options.OptionKinds.duration;
import static dev.tusk.server.options.OptionKinds.integer;
import static dev.tusk.server.options.OptionKinds.optionalPath;

import dev.tusk.server.hooks.HookType;
import dev.tusk.server.options.Option.Display;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hook options ({@code hooks.*}, docs/hooks.md), part of {@link ServerOptions#ALL}. Hooks are off
 * until {@link #HTTP} or {@link #FILE} names a receiver.
 */
public final class HooksOptions {
  private HooksOptions() {}

  public static final Option<List<URI>> HTTP =
      new Option<>("hooks.http", "", "list",
          "Comma-separated URLs of HTTP hook receivers (tusd's JSON, POSTed to each); empty = none.",
          raw -> Values.list(raw).stream().map(u -> Values.uri(u, List.of("http", "https"))).toList(),
          Display.URLS_WITH_PASSWORD, false);
  public static final Option<Optional<Path>> FILE =
      optionalPath("hooks.file",
          "File hook receiver (tusd's convention): an executable run for every hook, or a directory "
              + "holding one executable per hook name.");
  public static final Option<Set<HookType>> ENABLED =
      new Option<>("hooks.enabled", "pre-create,post-create,post-receive,post-finish,post-terminate", "list",
          "Hook types sent (tusd's default set); pre-access, pre-finish, pre-terminate and post-expiry-change are opt-in.",
          HooksOptions::types, Display.PLAIN, false);
  public static final Option<Duration> TIMEOUT =
      duration("hooks.timeout", "15s", "How long one call of a receiver may take.");
  public static final Option<Integer> RETRIES =
      integer("hooks.retries", "3", 0, 10,
          "Blocking hooks: retries after a connection error, an I/O error or a 5xx (0..10).");
  public static final Option<Boolean> FAIL_OPEN =
      bool("hooks.fail-open", "false",
          "Blocking hooks without a usable answer: go on as if allowed (true) or answer 503 (false).");
  public static final Option<Duration> PROGRESS_INTERVAL =
      duration("hooks.progress-interval", "1s",
          "At most one post-receive per upload per interval; 0 = after every stored buffer.");
  public static final Option<Duration> ACCESS_CACHE_TTL =
      duration("hooks.access-cache-ttl", "10s",
          "How long a pre-access answer is reused per credential, upload and kind of access; 0 = off.");
  public static final Option<Optional<Path>> OUTBOX_DIR =
      optionalPath("hooks.outbox-dir",
          "Durable outbox of post-create/finish/terminate, one per instance, must persist; "
              + "empty = <upload-dir>/.hooks-outbox.");
  public static final Option<Boolean> PROCESSING_GATE =
      bool("hooks.processing-gate", "false",
          "Finished uploads are 'processing' (downloads answer 409) until a post-finish answer releases them.");
  public static final Option<Map<String, String>> HEADER =
      new Option<>("hooks.header", "", "string",
          "One header sent to every HTTP receiver, \"Name: value\" (e.g. a shared secret).",
          HooksOptions::header, Display.SECRET, false);

  static final List<Option<?>> ALL =
      List.of(HTTP, FILE, ENABLED, TIMEOUT, RETRIES, FAIL_OPEN, PROGRESS_INTERVAL, ACCESS_CACHE_TTL,
          OUTBOX_DIR, PROCESSING_GATE, HEADER);

  static Set<HookType> types(String raw) {
    Set<HookType> types = EnumSet.noneOf(HookType.class);
    for (String name : Values.list(raw)) {
      types.add(HookType.parse(name).orElseThrow(() -> new IllegalArgumentException(
          "'" + name + "' is not a hook type (one of "
              + Arrays.stream(HookType.values()).map(HookType::wireName).collect(Collectors.joining(", ")) + ")")));
    }
    return types;
  }

  /** {@code Name: value} as a one-entry map; blank is none. The value never appears in a message. */
  static Map<String, String> header(String raw) {
    if (raw.isBlank()) {
      return Map.of();
    }
    int colon = raw.indexOf(':');
    String name = colon < 0 ? "" : raw.substring(0, colon).strip();
    if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new IllegalArgumentException("expected \"Name: value\" with a header name before the colon");
    }
    return Map.of(name, raw.substring(colon + 1).strip());
  }
}
