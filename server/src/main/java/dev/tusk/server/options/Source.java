package dev.tusk.server.options;

/**
 * Where an option's value came from. Precedence: {@link Kind#FLAG} over {@link Kind#ENV} over
 * {@link Kind#FILE} over {@link Kind#DEFAULT}.
 *
 * @param kind the kind of source
 * @param name the flag, the variable or the file's path; empty for the default
 */
public record Source(Source.Kind kind, String name) {
  /** The kinds of source, lowest precedence first. */
  public enum Kind {
    DEFAULT,
    FILE,
    ENV,
    FLAG
  }

  public static final Source DEFAULT = new Source(Kind.DEFAULT, "");

  /** {@code default}, {@code file /etc/tusk.yaml}, {@code env TUSK_PORT}, {@code flag --port} */
  public String describe() {
    return switch (kind) {
      case DEFAULT -> "default";
      case FILE -> "file " + name;
      case ENV -> "env " + name;
      case FLAG -> "flag " + name;
    };
  }

  /** How the option is named in this source, for messages. */
  String nameOf(Option<?> option) {
    return switch (kind) {
      case DEFAULT -> option.key() + " (default)";
      case FILE -> option.key() + " in " + name;
      case ENV -> option.env();
      case FLAG -> option.flag();
    };
  }
}
