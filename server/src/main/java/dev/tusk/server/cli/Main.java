package dev.tusk.server.cli;

import dev.tusk.server.cli.client.DownloadCommand;
import dev.tusk.server.cli.client.UploadCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code tusk} command line: {@code serve}, {@code config}, {@code health}, {@code hash-key},
 * the clients {@code upload} and {@code download}, and {@code help}.
 */
@Command(
    name = "tusk",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A resumable-upload server speaking the tus protocol, and a client for it.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    int code = commandLine(System.getenv()).execute(args);
    System.exit(code);
  }

  /** The command line with the given environment (tests pass their own). */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand("serve", new CommandLine(ServeCommand.spec(env)));
    cli.addSubcommand("config", new CommandLine(ConfigCommand.spec(env)));
    cli.addSubcommand("health", new CommandLine(HealthCommand.spec(env)));
    cli.addSubcommand("hash-key", new CommandLine(new HashKeyCommand()));
    cli.addSubcommand("upload", new CommandLine(new UploadCommand(env)));
    cli.addSubcommand("download", new CommandLine(new DownloadCommand(env)));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          failed.getErr().println("tusk: " + e.getMessage());
          failed.getErr().println("tusk: see '" + failed.getCommandSpec().qualifiedName() + " --help'");
          failed.getErr().flush();
          return 2;
        });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tusk " + (v == null ? "development" : v) + " (tus 1.0.0)"};
    }
  }
}
