package dev.tusk.server.cli;

import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.options.ConfigException;
import dev.tusk.server.options.ServerConfigReader;
import dev.tusk.server.options.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tusk health}: asks the local server's {@code /health/live} (or {@code /health/ready} with
 * {@code --ready}) and exits 0 if it answers 200, 1 otherwise — the Docker {@code HEALTHCHECK}. The
 * address comes from the same configuration as {@code serve} (management port if set, else the
 * main port; 127.0.0.1 when listening on every address). Over TLS the certificate is not checked:
 * the probe only ever talks to this machine.
 */
final class HealthCommand implements Callable<Integer> {
  private static final String READY = "--ready";
  private static final String URL = "--url";
  private final Map<String, String> env;
  private CommandSpec spec;

  private HealthCommand(Map<String, String> env) {
    this.env = env;
  }

  static CommandSpec spec(Map<String, String> env) {
    HealthCommand command = new HealthCommand(env);
    command.spec = OptionSpecs.command(
        "health", "Probe the local server's health endpoint (exit 0 if healthy); for HEALTHCHECK.", command);
    command.spec.addOption(OptionSpec.builder(READY).description("Probe /health/ready instead of /health/live.").build());
    command.spec.addOption(OptionSpec.builder(URL).paramLabel("URL").type(String.class)
        .description("Probe this URL instead of the configured address.").build());
    return command.spec;
  }

  @Override
  public Integer call() {
    ParseResult parsed = spec.commandLine().getParseResult();
    URI uri;
    if (parsed.hasMatchedOption(URL)) {
      uri = URI.create(parsed.matchedOptionValue(URL, ""));
    } else {
      try {
        uri = target(ServerConfigReader.from(OptionSpecs.settings(parsed, env)), parsed.hasMatchedOption(READY));
      } catch (ConfigException e) {
        return OptionSpecs.invalid(e, spec.commandLine().getErr());
      }
    }
    try {
      int status = get(uri);
      spec.commandLine().getOut().println(uri + " " + status);
      spec.commandLine().getOut().flush();
      return status == 200 ? 0 : 1;
    } catch (IOException | GeneralSecurityException e) {
      spec.commandLine().getOut().println(uri + " unreachable: " + e.getMessage());
      spec.commandLine().getOut().flush();
      return 1;
    }
  }

  static URI target(ServerConfig config, boolean ready) {
    boolean separate = config.metricsPort().isPresent();
    String host = config.host();
    if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = separate ? config.metricsPort().getAsInt() : config.port();
    String scheme = separate ? "http" : config.scheme();
    return URI.create(scheme + "://" + host + ":" + port + (ready ? "/health/ready" : "/health/live"));
  }

  private static int get(URI uri) throws IOException, GeneralSecurityException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    if (c instanceof HttpsURLConnection https) {
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(null, new TrustManager[] {new TrustAll()}, null);
      https.setSSLSocketFactory(trustAll.getSocketFactory());
      https.setHostnameVerifier((h, s) -> true);
    }
    c.setConnectTimeout(2_000);
    c.setReadTimeout(5_000);
    try {
      int status = c.getResponseCode();
      try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
      return status;
    } finally {
      c.disconnect();
    }
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
