package dev.tusk.server.options;

import java.util.List;

/**
 * The configuration cannot be used. Each problem names the option as the user wrote it (flag,
 * variable or YAML key) and the bad value (secrets masked).
 */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
