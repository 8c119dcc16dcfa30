package dev.tusk.server.cli;

import dev.tusk.server.options.AuthConfigReader;
import dev.tusk.server.options.ConfigException;
import dev.tusk.server.options.ConfigPrinter;
import dev.tusk.server.options.HooksConfigReader;
import dev.tusk.server.options.ServerConfigReader;
import dev.tusk.server.options.Settings;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tusk config}: validates the configuration exactly as {@code serve} would and prints the
 * effective values as YAML, each with its source, secrets masked (exit 0; 2 if invalid). {@code
 * --reference} prints the table of every option instead.
 */
final class ConfigCommand implements Callable<Integer> {
  private static final String REFERENCE = "--reference";
  private final Map<String, String> env;
  private CommandSpec spec;

  private ConfigCommand(Map<String, String> env) {
    this.env = env;
  }

  static CommandSpec spec(Map<String, String> env) {
    ConfigCommand command = new ConfigCommand(env);
    command.spec = OptionSpecs.command(
        "config", "Print the effective configuration with the source of each value; secrets masked.", command);
    command.spec.addOption(OptionSpec.builder(REFERENCE)
        .description("Print the table of every option (YAML key, flag, variable, type, default) as Markdown.")
        .build());
    return command.spec;
  }

  @Override
  public Integer call() {
    ParseResult parsed = spec.commandLine().getParseResult();
    if (parsed.hasMatchedOption(REFERENCE)) {
      spec.commandLine().getOut().print(ConfigPrinter.reference());
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      Settings settings = OptionSpecs.settings(parsed, env);
      ServerConfigReader.from(settings);
      HooksConfigReader.from(settings);
      AuthConfigReader.from(settings);
      spec.commandLine().getOut().print(ConfigPrinter.effective(settings));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (ConfigException e) {
      return OptionSpecs.invalid(e, spec.commandLine().getErr());
    }
  }
}
