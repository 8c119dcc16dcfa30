package dev.tusk.server.cli.client;

import dev.tusk.server.options.Values;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code tusk upload} and {@code tusk download} read alike from their flags: the headers sent
 * with every request ({@code -H}), the retry delays ({@code --retry-delays}), the rate limit
 * ({@code --limit-rate}) and the state file ({@code --state-file}, else the default path). Each
 * command declares the flags itself, with help that speaks of what it does; a bad value is a usage
 * error (exit status 2) naming what was wrong.
 *
 * @param headers the extra request headers
 * @param retries the delays before each retry
 * @param pacer the rate limit (unlimited without {@code --limit-rate})
 * @param state the file that remembers interrupted transfers
 */
record ClientSettings(
    List<TusClient.Header> headers, Retries retries, TusClient.Pacer pacer, StateFile state) {

  /**
   * @param stateFile the {@code --state-file} value, or null for the default path
   * @param env the environment, for the default path
   * @throws ParameterException for a header, delay list or size that does not parse
   */
  static ClientSettings parse(
      CommandSpec spec, List<String> headers, String retryDelays, String limitRate, Path stateFile,
      Map<String, String> env) {
    List<TusClient.Header> parsed = new ArrayList<>();
    Retries retries;
    long rate;
    try {
      for (String h : headers) {
        parsed.add(TusClient.Header.parse(h));
      }
      retries = Retries.parse(retryDelays, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      rate = limitRate == null ? 0 : Values.size(limitRate);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--limit-rate: " + e.getMessage());
    }
    return new ClientSettings(
        List.copyOf(parsed), retries, new TusClient.Pacer(rate),
        new StateFile(stateFile != null ? stateFile : StateFile.defaultPath(env)));
  }
}
