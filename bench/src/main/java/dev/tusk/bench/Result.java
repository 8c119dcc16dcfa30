package dev.tusk.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one scenario on one target in one run: identity, ok/error, and named metrics in
 * insertion order. Serialised as one JSON line. Not thread-safe: filled by the scenario's caller
 * thread.
 */
final class Result {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> fields = new LinkedHashMap<>();

  Result(String scenario, String target, int run) {
    fields.put("scenario", scenario);
    fields.put("target", target);
    fields.put("run", run);
    fields.put("ok", true);
  }

  Result put(String metric, Object value) {
    if (value instanceof Double d) {
      fields.put(metric, Double.isFinite(d) ? round(d) : null);
    } else {
      fields.put(metric, value);
    }
    return this;
  }

  void fail(String error) {
    fields.put("ok", false);
    fields.put("error", error);
  }

  boolean ok() {
    return Boolean.TRUE.equals(fields.get("ok"));
  }

  String scenario() {
    return (String) fields.get("scenario");
  }

  String target() {
    return (String) fields.get("target");
  }

  Map<String, Object> fields() {
    return fields;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double round(double d) {
    double abs = Math.abs(d);
    double scale = abs >= 100 ? 10 : abs >= 1 ? 1000 : 100000;
    return Math.round(d * scale) / scale;
  }
}
