package dev.tusk.server.hooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One hook receiver: an HTTP endpoint that is POSTed the hook request, or an executable that reads
 * it on stdin (tusd's file hooks; a directory holds one executable per hook name, as tusd's {@code
 * -hooks-dir}).
 *
 * @param name a stable name ({@code [a-z0-9][a-z0-9-]*}, at most 63); names outbox files and metric
 *     tags, so renaming a receiver orphans its undelivered events
 * @param kind HTTP or FILE
 * @param target the URL ({@code http://} or {@code https://}) or the executable's or directory's path
 * @param timeout how long one call may take (tusd: 15 s)
 * @param headers extra request headers for an HTTP receiver (e.g. a shared secret)
 * @param forwardHeaders client request headers copied onto the hook request (tusd {@code
 *     -hooks-http-forward-headers})
 * @param types the hook types this receiver gets; empty for every enabled type
 */
public record ReceiverConfig(
    String name,
    Kind kind,
    String target,
    Duration timeout,
    Map<String, String> headers,
    List<String> forwardHeaders,
    Set<HookType> types) {

  /** How a receiver is reached. */
  public enum Kind { HTTP, FILE }

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-type",
          "hook-name", "idempotency-key");

  public ReceiverConfig {
    if (kind == null) {
      throw new IllegalArgumentException("receiver kind is required (http or file)");
    }
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("a " + kind + " receiver needs a target (URL or command)");
    }
    if (kind == Kind.HTTP) {
      URI uri;
      try {
        uri = URI.create(target);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("hook URL is not a URL: " + target, e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException("hook URL must be http:// or https://, was " + target);
      }
    }
    name = name == null || name.isBlank() ? defaultName(kind, target) : name;
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "receiver name must match [a-z0-9][a-z0-9-]*, at most 63 characters, was " + name);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("receiver timeout must be positive, was " + timeout);
    }
    headers = Map.copyOf(headers);
    for (String h : headers.keySet()) {
      if (RESTRICTED.contains(h.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("receiver header " + h + " cannot be set");
      }
    }
    forwardHeaders = List.copyOf(forwardHeaders);
    types = Set.copyOf(types);
  }

  /** An HTTP receiver with tusd's defaults (15 s timeout, every enabled type). */
  public static ReceiverConfig http(String url) {
    return new ReceiverConfig(
        null, Kind.HTTP, url, Duration.ofSeconds(15), Map.of(), List.of(), Set.of());
  }

  /** A file receiver (executable or directory of executables) with a 15 s timeout. */
  public static ReceiverConfig file(String command) {
    return new ReceiverConfig(
        null, Kind.FILE, command, Duration.ofSeconds(15), Map.of(), List.of(), Set.of());
  }

  /** True if this receiver gets hooks of {@code type} (when the type is enabled at all). */
  public boolean wants(HookType type) {
    return types.isEmpty() || types.contains(type);
  }

  public ReceiverConfig withName(String v) {
    return new ReceiverConfig(v, kind, target, timeout, headers, forwardHeaders, types);
  }

  public ReceiverConfig withTimeout(Duration v) {
    return new ReceiverConfig(name, kind, target, v, headers, forwardHeaders, types);
  }

  public ReceiverConfig withHeaders(Map<String, String> v) {
    return new ReceiverConfig(name, kind, target, timeout, v, forwardHeaders, types);
  }

  public ReceiverConfig withForwardHeaders(List<String> v) {
    return new ReceiverConfig(name, kind, target, timeout, headers, v, types);
  }

  public ReceiverConfig withTypes(Set<HookType> v) {
    return new ReceiverConfig(name, kind, target, timeout, headers, forwardHeaders, v);
  }

  /** {@code http-<8 hex>} / {@code file-<8 hex>} from the target, stable across restarts. */
  static String defaultName(Kind kind, String target) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
      return kind.name().toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
