package dev.tusk.server.options;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for option values: human-friendly sizes ({@code 10GiB}, {@code 500MB}), durations
 * ({@code 24h}), booleans, integers, lists and URIs. Each throws {@link IllegalArgumentException}
 * with a message that says what was expected; the caller adds the option's name.
 */
public final class Values {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?i?b?)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private Values() {}

  /** Bytes; suffixes k/m/g/t (and KiB/KB etc.) are powers of 1024. */
  public static long size(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 1073741824, 512MiB, 10G)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    int shift = unit.isEmpty() || unit.equals("b") ? 0 : switch (unit.charAt(0)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      case 't' -> 40;
      default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit");
    };
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return n << shift;
  }

  /** A duration like {@code 500ms}, {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d} or ISO-8601. */
  public static Duration duration(String text) {
    String t = text.trim();
    if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(t);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration");
      }
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 90s, 30m, 24h, 7d)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    try {
      return switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
  }

  /** {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0}, in any case. */
  public static boolean bool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("'" + text + "' is not a boolean (true or false)");
    };
  }

  /** A decimal integer within {@code [min, max]}. */
  public static int integer(String text, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(n + " is out of range " + min + ".." + max);
    }
    return n;
  }

  /** Comma-separated values, trimmed, empty ones dropped. */
  public static List<String> list(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** One of {@code choices} (case-insensitive), returned in lower case. */
  public static String choice(String text, List<String> choices) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    if (!choices.contains(v)) {
      throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", choices));
    }
    return v;
  }

  /** An absolute URI whose scheme is one of {@code schemes}. */
  public static URI uri(String text, List<String> schemes) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + maskUserInfo(text) + "' is not a URL");
    }
    if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "'" + maskUserInfo(text) + "' is not a " + String.join(" or ", schemes) + " URL with a host");
    }
    return uri;
  }

  /** The URL with the password in its user info replaced by {@code ****}. */
  public static String maskUserInfo(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String masked = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
    return url.substring(0, scheme + 3) + masked + url.substring(at);
  }
}
