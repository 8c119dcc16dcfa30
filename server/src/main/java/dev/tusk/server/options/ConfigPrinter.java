package dev.tusk.server.options;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders configuration for people: the effective values as YAML with each value's source ({@code
 * tusk config}), and the reference table of every option ({@code tusk config --reference}).
 */
public final class ConfigPrinter {
  private static final Pattern BARE = Pattern.compile("-?\\d+|true|false");
  private static final int COMMENT_COLUMN = 44;

  private ConfigPrinter() {}

  /** The effective configuration as YAML, secrets masked, each line commented with its source. */
  public static String effective(Settings settings) {
    StringBuilder out = new StringBuilder();
    out.append("# tusk effective configuration: flags > env (TUSK_*) > file > defaults; secrets masked\n");
    settings.file().ifPresent(f -> out.append("# file: ").append(f).append('\n'));
    List<String> open = List.of();
    for (Option<?> option : ServerOptions.ALL) {
      List<String> path = List.of(option.key().split("\\."));
      List<String> parents = path.subList(0, path.size() - 1);
      int common = 0;
      while (common < Math.min(open.size(), parents.size()) && open.get(common).equals(parents.get(common))) {
        common++;
      }
      for (int depth = common; depth < parents.size(); depth++) {
        out.append("  ".repeat(depth)).append(parents.get(depth)).append(":\n");
      }
      open = parents;
      String line = "  ".repeat(parents.size()) + path.get(parents.size()) + ": "
          + yamlValue(settings.shown(option));
      out.append(line).append(" ".repeat(Math.max(1, COMMENT_COLUMN - line.length())))
          .append("# ").append(settings.source(option).describe()).append('\n');
    }
    return out.toString();
  }

  /** A Markdown table of every option: key, flag, variable, type, default, meaning. */
  public static String reference() {
    StringBuilder out = new StringBuilder();
    out.append("| YAML key | flag | environment | type | default | meaning |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (Option<?> o : ServerOptions.ALL) {
      out.append("| `").append(o.key()).append("` | `").append(o.flag()).append("` | `")
          .append(o.env()).append("` | ").append(o.type().replace("|", "\\|")).append(" | ")
          .append(o.defaultValue().isEmpty() ? "(unset)" : "`" + o.defaultValue() + "`").append(" | ")
          .append(o.description().replace("|", "\\|")).append(o.isSecret() ? " Secret." : "")
          .append(" |\n");
    }
    return out.toString();
  }

  static String yamlValue(String raw) {
    if (BARE.matcher(raw.toLowerCase(Locale.ROOT)).matches()) {
      return raw;
    }
    return "\"" + raw.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
