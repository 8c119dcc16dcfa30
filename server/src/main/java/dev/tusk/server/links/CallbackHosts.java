package dev.tusk.server.links;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The allow-list of hosts callbacks may go to, so a link holder cannot make the server call
 * arbitrary addresses (SSRF). An entry is {@code host} (any port), {@code host:port}, or
 * {@code *.example.com} (any subdomain, not the domain itself). Only {@code http} and {@code
 * https} URLs without user info qualify. Thread-safe.
 */
public final class CallbackHosts {
  private final List<String> entries;

  public CallbackHosts(List<String> entries) {
    this.entries = entries.stream().map(e -> e.strip().toLowerCase(Locale.ROOT)).toList();
  }

  boolean allows(URI url) {
    if (url == null || url.getRawUserInfo() != null || url.getHost() == null || url.getRawFragment() != null) {
      return false;
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return false;
    }
    String host = url.getHost().toLowerCase(Locale.ROOT);
    int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    for (String entry : entries) {
      if (entry.startsWith("*.")) {
        if (host.endsWith(entry.substring(1)) && host.length() > entry.length() - 1) {
          return true;
        }
      } else if (entry.equals(host) || entry.equals(host + ":" + port)) {
        return true;
      }
    }
    return false;
  }
}
