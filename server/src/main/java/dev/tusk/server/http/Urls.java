package dev.tusk.server.http;

import dev.tusk.core.UploadId;
import io.undertow.server.HttpServerExchange;
import java.util.regex.Pattern;

/** Builds the absolute URLs the server hands out ({@code Location}). */
public final class Urls {
  private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:_]{1,255}");

  private Urls() {}

  /**
   * {@code scheme://host[:port]<basePath><id>}. Behind a proxy the scheme and host come from
   * {@code Forwarded} or {@code X-Forwarded-Proto/Host}; values that are not plain host names are
   * ignored so no header can inject into the URL.
   */
  public static String upload(HttpServerExchange exchange, String basePath, boolean behindProxy, UploadId id) {
    String scheme = exchange.getRequestScheme();
    String host = exchange.getHostAndPort();
    if (behindProxy) {
      String forwarded = Exchanges.header(exchange, TusHeaders.FORWARDED);
      if (forwarded != null) {
        for (String part : forwarded.split(",")[0].split(";")) {
          String[] kv = part.trim().split("=", 2);
          if (kv.length == 2) {
            String v = kv[1].replace("\"", "").trim();
            if (kv[0].equalsIgnoreCase("proto")) {
              scheme = v;
            } else if (kv[0].equalsIgnoreCase("host")) {
              host = v;
            }
          }
        }
      } else {
        String proto = Exchanges.header(exchange, TusHeaders.X_FORWARDED_PROTO);
        String fhost = Exchanges.header(exchange, TusHeaders.X_FORWARDED_HOST);
        if (proto != null) {
          scheme = proto.split(",")[0].trim();
        }
        if (fhost != null) {
          host = fhost.split(",")[0].trim();
        }
      }
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      scheme = exchange.getRequestScheme();
    }
    if (!SAFE_HOST.matcher(host).matches()) {
      host = exchange.getHostAndPort();
    }
    return scheme + "://" + host + basePath + id.value();
  }
}
