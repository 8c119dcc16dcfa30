package dev.tusk.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tusk} command line. */
@Command(
    name = "tusk",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A resumable-upload server speaking the tus protocol.",
    subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0 || args.length == 0 || !"serve".equals(args[0])) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tusk " + (v == null ? "development" : v) + " (tus 1.0.0)"};
    }
  }
}
