package dev.tusk.server.protocol;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The {@code Upload-Metadata} header: parsing with validation, and encoding for echoes. */
public final class Metadata {
  private Metadata() {}

  /**
   * tus: "The Upload-Metadata request and response header MUST consist of one or more comma-separated
   * key-value pairs. The key and value MUST be separated by a space. The key MUST NOT contain
   * spaces and commas and MUST NOT be empty. The key SHOULD be ASCII encoded and the value MUST be
   * Base64 encoded. All keys MUST be unique. The value MAY be empty."
   *
   * @return decoded pairs in header order; empty for a null or blank header
   */
  public static Map<String, String> parse(String header) {
    Map<String, String> result = new LinkedHashMap<>();
    if (header == null || header.isBlank()) {
      return result;
    }
    for (String rawPair : header.split(",", -1)) {
      String pair = rawPair.trim();
      if (pair.isEmpty()) {
        throw invalid("empty key-value pair");
      }
      int space = pair.indexOf(' ');
      String key = space < 0 ? pair : pair.substring(0, space);
      String encoded = space < 0 ? "" : pair.substring(space + 1).trim();
      checkKey(key);
      if (encoded.indexOf(' ') >= 0) {
        throw invalid("value of key '" + key + "' contains a space");
      }
      if (result.containsKey(key)) {
        throw invalid("duplicate key '" + key + "'");
      }
      result.put(key, decode(key, encoded));
    }
    return result;
  }

  /** The header value for {@code metadata}; keys without value are sent alone. */
  public static String encode(Map<String, String> metadata) {
    StringJoiner joiner = new StringJoiner(",");
    Base64.Encoder encoder = Base64.getEncoder();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getValue().isEmpty()) {
        joiner.add(e.getKey());
      } else {
        joiner.add(
            e.getKey() + " " + encoder.encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    }
    return joiner.toString();
  }

  private static void checkKey(String key) {
    if (key.isEmpty()) {
      throw invalid("empty key");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == ',') {
        throw invalid("key '" + printable(key) + "' must be printable ASCII without spaces or commas");
      }
    }
  }

  private static String decode(String key, String encoded) {
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("value of key '" + key + "' is not valid base64");
    }
  }

  private static String printable(String s) {
    return s.replaceAll("[^\\x21-\\x7e]", "?");
  }

  private static TusException invalid(String detail) {
    return new TusException(ErrorCode.INVALID_METADATA, "Upload-Metadata: " + detail);
  }
}
