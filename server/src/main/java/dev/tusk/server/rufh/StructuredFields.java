package dev.tusk.server.rufh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of Structured Field Values (RFC 9651, formerly RFC 8941) that the draft's fields
 * use: Integer and Boolean Items ({@code Upload-Offset: 25}, {@code Upload-Complete: ?0}) with
 * parameters allowed and ignored, and Dictionaries of Integers ({@code Upload-Limit: max-size=10,
 * max-age=3600}). A value that is not of that form is reported as absent-or-invalid through
 * {@link Optional}; the callers decide whether that is a 400 or "ignore the field" as each draft
 * says. Pure and thread-safe.
 */
public final class StructuredFields {
  /** RFC 9651 3.3.1: "Integers have a range of -999,999,999,999,999 to 999,999,999,999,999". */
  private static final int MAX_INTEGER_DIGITS = 15;

  private StructuredFields() {}

  /** An Integer Item, or empty if {@code raw} is not one. */
  public static OptionalLong parseInteger(String raw) {
    String item = bareItem(raw);
    if (item == null) {
      return OptionalLong.empty();
    }
    int start = item.startsWith("-") ? 1 : 0;
    int digits = item.length() - start;
    if (digits < 1 || digits > MAX_INTEGER_DIGITS) {
      return OptionalLong.empty();
    }
    for (int i = start; i < item.length(); i++) {
      if (item.charAt(i) < '0' || item.charAt(i) > '9') {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(item));
  }

  /** A Boolean Item ({@code ?1} or {@code ?0}), or empty if {@code raw} is not one. */
  public static Optional<Boolean> parseBoolean(String raw) {
    String item = bareItem(raw);
    if ("?1".equals(item)) {
      return Optional.of(true);
    }
    if ("?0".equals(item)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /** Serializes a Boolean Item. */
  public static String serializeBoolean(boolean value) {
    return value ? "?1" : "?0";
  }

  /**
   * Serializes a Dictionary whose members are Integers, in the map's order.
   *
   * @throws IllegalArgumentException for a key that is not an sf key or an out-of-range value
   */
  public static String serializeDictionary(Map<String, Long> members) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Long> m : members.entrySet()) {
      if (!isKey(m.getKey())) {
        throw new IllegalArgumentException("not a structured field key: " + m.getKey());
      }
      if (Math.abs(m.getValue()) > 999_999_999_999_999L) {
        throw new IllegalArgumentException("integer out of range: " + m.getValue());
      }
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(m.getKey()).append('=').append(m.getValue());
    }
    return out.toString();
  }

  /**
   * Parses a Dictionary keeping its Integer members (members of other types, and parameters, are
   * skipped); empty if {@code raw} is not a Dictionary of that simple form.
   */
  public static Optional<Map<String, Long>> parseIntegerDictionary(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (String member : raw.split(",", -1)) {
      String m = member.strip();
      int eq = m.indexOf('=');
      String key = eq < 0 ? m : m.substring(0, eq);
      if (key.contains(";")) {
        key = key.substring(0, key.indexOf(';'));
      }
      if (!isKey(key)) {
        return Optional.empty();
      }
      if (eq < 0) {
        continue; // a Boolean true member
      }
      OptionalLong value = parseInteger(m.substring(eq + 1));
      if (value.isPresent()) {
        out.put(key, value.getAsLong());
      }
    }
    return Optional.of(out);
  }

  /** RFC 9651 3.2: {@code key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )}. */
  static boolean isKey(String key) {
    if (key.isEmpty()) {
      return false;
    }
    char first = key.charAt(0);
    if (!(first >= 'a' && first <= 'z') && first != '*') {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "_-.*".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The bare item of an Item field with its parameters removed and surrounding spaces trimmed
   * (RFC 9651 4.2: leading and trailing SP are discarded), or null for a missing or list-valued
   * field.
   */
  private static String bareItem(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    if (s.isEmpty() || s.indexOf(',') >= 0) {
      return null;
    }
    int semicolon = s.indexOf(';');
    String item = semicolon < 0 ? s : s.substring(0, semicolon);
    if (semicolon >= 0 && !validParameters(s.substring(semicolon))) {
      return null;
    }
    return item;
  }

  /** True if {@code params} is a sequence of {@code ;key[=value]} with sf keys. */
  private static boolean validParameters(String params) {
    for (String p : params.substring(1).split(";", -1)) {
      String q = p.strip();
      int eq = q.indexOf('=');
      if (!isKey(eq < 0 ? q : q.substring(0, eq)) || (eq >= 0 && q.length() == eq + 1)) {
        return false;
      }
    }
    return true;
  }
}
