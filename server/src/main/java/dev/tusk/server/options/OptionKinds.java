package dev.tusk.server.options;

import dev.tusk.server.options.Option.Display;
import dev.tusk.server.protocol.Ttl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Factories of the common kinds of option, shared by {@link ServerOptions}, {@link HooksOptions} and
 * {@link AuthOptions}. A class of its own so that none of those tables initializes another.
 */
final class OptionKinds {
  private OptionKinds() {}

  static Option<String> string(String key, String def, String description) {
    return new Option<>(key, def, "string", description, Function.identity(), Display.PLAIN, false);
  }

  static Option<Integer> integer(String key, String def, int min, int max, String description) {
    return new Option<>(key, def, "integer", description, raw -> Values.integer(raw, min, max), Display.PLAIN, false);
  }

  static Option<Long> size(String key, String def, String description) {
    return new Option<>(key, def, "size", description, Values::size, Display.PLAIN, false);
  }

  static Option<Duration> duration(String key, String def, String description) {
    return new Option<>(key, def, "duration", description, Values::duration, Display.PLAIN, false);
  }

  /** A duration, or {@code never} ({@link Ttl#NEVER}) for uploads kept until deleted. */
  static Option<Duration> ttl(String key, String def, String description) {
    return new Option<>(key, def, "duration|never", description,
        raw -> raw.trim().equalsIgnoreCase("never") ? Ttl.NEVER : Values.duration(raw),
        Display.PLAIN, false);
  }

  static Option<Boolean> bool(String key, String def, String description) {
    return new Option<>(key, def, "boolean", description, Values::bool, Display.PLAIN, true);
  }

  static Option<String> choice(String key, String def, List<String> choices, String description) {
    return new Option<>(key, def, String.join("|", choices), description,
        raw -> Values.choice(raw, choices), Display.PLAIN, false);
  }

  static Option<String> secret(String key, String description) {
    return new Option<>(key, "", "string", description, Function.identity(), Display.SECRET, false);
  }

  static Option<Optional<URI>> optionalUrl(String key, String description) {
    return new Option<>(key, "", "url", description,
        raw -> raw.isBlank() ? Optional.empty() : Optional.of(Values.uri(raw, List.of("http", "https"))),
        Display.URL_WITH_PASSWORD, false);
  }

  static Option<Optional<Path>> optionalPath(String key, String description) {
    return new Option<>(key, "", "path", description,
        raw -> raw.isBlank() ? Optional.empty() : Optional.of(Path.of(raw.trim())), Display.PLAIN, false);
  }

  static Path requiredPath(String raw) {
    if (raw.isBlank()) {
      throw new IllegalArgumentException("a path is required");
    }
    return Path.of(raw.trim());
  }

  static long bounded(long value, long min, long max, String raw) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("'" + raw + "' is out of range");
    }
    return value;
  }
}
