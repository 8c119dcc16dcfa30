package dev.tusk.server.options;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One configuration option. Its key (e.g. {@code tls.cert}) is the YAML path; the flag ({@code
 * --tls-cert}) and the environment variable ({@code TUSK_TLS_CERT}) are derived from it, so an
 * option is declared once in {@link ServerOptions} and nothing is listed twice. Immutable.
 *
 * @param <T> the parsed type
 */
public final class Option<T> {
  /** How a value is shown by {@code tusk config} and in messages. */
  public enum Display {
    PLAIN,
    /** never shown: {@code ****} */
    SECRET,
    /** a URL whose password is masked */
    URL_WITH_PASSWORD,
    /** comma-separated URLs, each with its password masked */
    URLS_WITH_PASSWORD
  }

  private final String key;
  private final String defaultValue;
  private final String type;
  private final String description;
  private final Function<String, T> parser;
  private final Display display;
  private final boolean isSwitch;

  Option(
      String key,
      String defaultValue,
      String type,
      String description,
      Function<String, T> parser,
      Display display,
      boolean isSwitch) {
    this.key = Objects.requireNonNull(key);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.type = type;
    this.description = description;
    this.parser = parser;
    this.display = display;
    this.isSwitch = isSwitch;
  }

  /** The YAML key, dotted for nesting: {@code tls.cert} is {@code tls: {cert: ...}}. */
  public String key() {
    return key;
  }

  /** {@code --tls-cert} */
  public String flag() {
    return "--" + key.replace('.', '-');
  }

  /** {@code TUSK_TLS_CERT} */
  public String env() {
    return "TUSK_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The default as text; empty means "not set". */
  public String defaultValue() {
    return defaultValue;
  }

  /** A short name of the value's type for help and docs ({@code duration}, {@code size}, ...). */
  public String type() {
    return type;
  }

  public String description() {
    return description;
  }

  /** True for a boolean that may be given as a bare flag ({@code --fsync}). */
  public boolean isSwitch() {
    return isSwitch;
  }

  public boolean isSecret() {
    return display == Display.SECRET;
  }

  /** Parses a raw value; throws {@link IllegalArgumentException} saying what was expected. */
  public T parse(String raw) {
    return parser.apply(raw);
  }

  /** The raw value as it may be shown: secrets masked. */
  public String shown(String raw) {
    if (raw.isEmpty()) {
      return raw;
    }
    return switch (display) {
      case PLAIN -> raw;
      case SECRET -> "****";
      case URL_WITH_PASSWORD -> Values.maskUserInfo(raw);
      case URLS_WITH_PASSWORD ->
          Values.list(raw).stream().map(Values::maskUserInfo).collect(Collectors.joining(","));
    };
  }

  @Override
  public String toString() {
    return key;
  }
}
