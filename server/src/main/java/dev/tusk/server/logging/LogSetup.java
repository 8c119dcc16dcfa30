package dev.tusk.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.format} and {@code log.level}: reloads the bundled {@code logback.xml} with
 * the properties {@code tusk.log.format} and {@code tusk.log.level} set. Does nothing when logback
 * is not the SLF4J backend or the operator points {@code -Dlogback.configurationFile} at a file of
 * their own.
 */
public final class LogSetup {
  private LogSetup() {}

  /** Writes out every queued log event (the appenders are asynchronous); call before exiting. */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }

  /**
   * @param format {@code text} or {@code json}
   * @param level {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}
   */
  public static void apply(String format, String level) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    URL config = LogSetup.class.getResource("/logback.xml");
    if (!(factory instanceof LoggerContext context)
        || config == null
        || System.getProperty("logback.configurationFile") != null) {
      return;
    }
    context.reset();
    context.putProperty("tusk.log.format", format);
    context.putProperty("tusk.log.level", level.toUpperCase(Locale.ROOT));
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      System.err.println("tusk: cannot configure logging: " + e.getMessage());
    }
  }
}
