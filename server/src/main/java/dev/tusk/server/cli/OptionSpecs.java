package dev.tusk.server.cli;

import dev.tusk.server.options.ConfigException;
import dev.tusk.server.options.Option;
import dev.tusk.server.options.ServerOptions;
import dev.tusk.server.options.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Builds picocli commands whose flags are the {@link ServerOptions} table ({@code --config} plus one
 * flag per option, every value taken as text and validated by {@link Settings}), and reads the
 * flags given back into {@link Settings}.
 */
final class OptionSpecs {
  static final String CONFIG_FLAG = "--config";

  private OptionSpecs() {}

  /** A command named {@code name} running {@code command}, with every configuration flag. */
  static CommandSpec command(String name, String description, Callable<Integer> command) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name(name);
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage()
        .description(description,
            "Every option can also be set in the YAML file (--config or TUSK_CONFIG) and as an "
                + "environment variable; precedence: flags > environment > file > defaults.")
        .sortOptions(false);
    spec.addOption(
        OptionSpec.builder("-c", CONFIG_FLAG)
            .paramLabel("FILE")
            .type(String.class)
            .description("YAML configuration file (env " + Settings.CONFIG_ENV + ").")
            .build());
    for (Option<?> o : ServerOptions.ALL) {
      OptionSpec.Builder b =
          OptionSpec.builder(o.flag())
              .paramLabel(o.type().toUpperCase(java.util.Locale.ROOT).replace('|', '/'))
              .type(String.class)
              .description(o.description() + " Env " + o.env() + ". Default: "
                  + (o.defaultValue().isEmpty() ? "unset" : o.defaultValue()) + ".");
      if (o.isSwitch()) {
        b.arity("0..1").fallbackValue("true");
      }
      spec.addOption(b.build());
    }
    return spec;
  }

  /** The settings from the parsed flags, the environment and the file. */
  static Settings settings(ParseResult parsed, Map<String, String> env) throws ConfigException {
    Map<Option<?>, String> flags = new LinkedHashMap<>();
    for (Option<?> o : ServerOptions.ALL) {
      if (parsed.hasMatchedOption(o.flag())) {
        flags.put(o, parsed.matchedOptionValue(o.flag(), ""));
      }
    }
    Optional<Path> file =
        parsed.hasMatchedOption(CONFIG_FLAG)
            ? Optional.of(Path.of(parsed.<String>matchedOptionValue(CONFIG_FLAG, "")))
            : Optional.empty();
    return Settings.load(flags, env, file);
  }

  /** Prints every problem, one per line, to {@code err}; returns the exit code 2. */
  static int invalid(ConfigException e, java.io.PrintWriter err) {
    for (String problem : e.problems()) {
      err.println("tusk: " + problem);
    }
    err.println("tusk: invalid configuration; see 'tusk config --reference' for every option");
    err.flush();
    return 2;
  }
}
