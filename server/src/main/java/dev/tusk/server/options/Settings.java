package dev.tusk.server.options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective value of every {@link ServerOptions option} with its {@link Source}, resolved with
 * precedence flags &gt; environment ({@code TUSK_*}) &gt; YAML file &gt; defaults and parsed: a
 * {@code Settings} only exists if every value is valid. Immutable.
 */
public final class Settings {
  /** The variable that names the YAML file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "TUSK_CONFIG";

  private record Entry(String raw, Source source, Object value) {}

  private final Map<Option<?>, Entry> entries;
  private final Optional<Path> file;

  private Settings(Map<Option<?>, Entry> entries, Optional<Path> file) {
    this.entries = entries;
    this.file = file;
  }

  /**
   * Resolves every option.
   *
   * @param flags raw values given on the command line
   * @param env the process environment; variables that are not options are ignored
   * @param configFlag the {@code --config} file, if given; else {@code TUSK_CONFIG} is used
   * @throws ConfigException naming every bad option and value, or an unknown key in the file
   */
  public static Settings load(Map<Option<?>, String> flags, Map<String, String> env, Optional<Path> configFlag)
      throws ConfigException {
    Optional<Path> file =
        configFlag.or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).filter(s -> !s.isBlank()).map(Path::of));
    Map<String, String> fromFile = file.isPresent() ? YamlFile.read(file.get()) : Map.of();
    List<String> problems = new ArrayList<>();
    for (String key : fromFile.keySet()) {
      if (ServerOptions.byKey(key).isEmpty()) {
        problems.add("unknown option '" + key + "' in " + file.get() + suggestion(key));
      }
    }
    Map<Option<?>, Entry> entries = new LinkedHashMap<>();
    for (Option<?> option : ServerOptions.ALL) {
      String raw = option.defaultValue();
      Source source = Source.DEFAULT;
      if (fromFile.containsKey(option.key())) {
        raw = fromFile.get(option.key());
        source = new Source(Source.Kind.FILE, file.get().toString());
      }
      if (env.containsKey(option.env())) {
        raw = env.get(option.env());
        source = new Source(Source.Kind.ENV, option.env());
      }
      if (flags.containsKey(option)) {
        raw = flags.get(option);
        source = new Source(Source.Kind.FLAG, option.flag());
      }
      try {
        entries.put(option, new Entry(raw, source, option.parse(raw)));
      } catch (IllegalArgumentException e) {
        problems.add("invalid " + source.nameOf(option) + ": " + reason(option, raw, e));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Settings(entries, file);
  }

  /** The parsed value of {@code option}. */
  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    return (T) entries.get(option).value();
  }

  /** Where {@code option}'s value came from. */
  public Source source(Option<?> option) {
    return entries.get(option).source();
  }

  /** The value as written, secrets masked. */
  public String shown(Option<?> option) {
    return option.shown(entries.get(option).raw());
  }

  /** The YAML file that was read, if any. */
  public Optional<Path> file() {
    return file;
  }

  /** How {@code option} was named where its value came from ({@code --port}, {@code TUSK_PORT}). */
  public String nameOf(Option<?> option) {
    return source(option).nameOf(option);
  }

  private static String reason(Option<?> option, String raw, IllegalArgumentException e) {
    String message = e.getMessage() == null ? "invalid value" : e.getMessage();
    if (option.isSecret() && !raw.isEmpty()) {
      message = message.replace(raw, "****");
    }
    return message;
  }

  private static String suggestion(String key) {
    return ServerOptions.ALL.stream()
        .map(Option::key)
        .min(Comparator.comparingInt(k -> distance(k, key)))
        .filter(k -> distance(k, key) <= Math.max(2, key.length() / 3))
        .map(k -> " (did you mean '" + k + "'?)")
        .orElse("");
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
