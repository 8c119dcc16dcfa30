package dev.tusk.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.core.TusException;
import dev.tusk.server.protocol.ExpiryChange;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A receiver's answer in tusd's shape: {@code {HTTPResponse: {StatusCode, Body, Header},
 * RejectUpload, ChangeFileInfo: {ID, MetaData}, StopUpload, RejectTermination}}, plus tusk's {@code
 * RejectAccess} (pre-access) and {@code ProcessingStatus: {Status, Reason}} (post-finish,
 * pre-access), and {@code Keep: true} or {@code ExpiresAt: "<ISO-8601 instant>"} (post-finish:
 * keep the upload until deleted, or move its expiry). Every field is optional. Field names match case-insensitively, as Go's {@code
 * encoding/json} does, and unknown fields are ignored, so a tusd receiver's answer parses as-is.
 */
record HookResponse(
    Optional<HttpResponse> httpResponse,
    boolean rejectUpload,
    boolean rejectTermination,
    boolean rejectAccess,
    boolean stopUpload,
    Optional<String> changeId,
    Optional<Map<String, String>> changeMetadata,
    Optional<StatusChange> processingStatus,
    Optional<ExpiryChange> expiry) {

  /** tusd's HTTPResponse: what to tell the client; {@code statusCode} 0 means "not set". */
  record HttpResponse(int statusCode, String body, Map<String, String> header) {}

  /** A new processing status for a finished upload, with an optional reason. */
  record StatusChange(ProcessingStatus status, String reason) {}

  static final HookResponse EMPTY =
      new HookResponse(Optional.empty(), false, false, false, false, Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Parses a response body; blank is {@link #EMPTY} (tusd ignores an empty file-hook stdout).
   *
   * @throws IllegalArgumentException if the body is not a JSON object of the expected shape
   */
  static HookResponse parse(byte[] body) {
    if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return EMPTY;
    }
    JsonNode root;
    try {
      root = HookRequests.JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("hook response is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("hook response is not a JSON object");
    }
    JsonNode change = field(root, "ChangeFileInfo");
    return new HookResponse(
        httpResponse(field(root, "HTTPResponse")),
        bool(root, "RejectUpload"),
        bool(root, "RejectTermination"),
        bool(root, "RejectAccess"),
        bool(root, "StopUpload"),
        text(change, "ID"),
        stringMap(field(change, "MetaData")),
        status(field(root, "ProcessingStatus")),
        expiry(root));
  }

  private static Optional<HttpResponse> httpResponse(JsonNode node) {
    if (!node.isObject()) {
      return Optional.empty();
    }
    JsonNode code = field(node, "StatusCode");
    if (!code.isMissingNode() && !code.isNull() && !code.canConvertToInt()) {
      throw new IllegalArgumentException("HTTPResponse.StatusCode is not a number");
    }
    return Optional.of(
        new HttpResponse(
            code.asInt(0),
            text(node, "Body").orElse(""),
            stringMap(field(node, "Header")).orElse(Map.of())));
  }

  private static Optional<StatusChange> status(JsonNode node) {
    if (node.isTextual()) {
      return Optional.of(new StatusChange(ProcessingStatus.parse(node.asText()), ""));
    }
    if (!node.isObject()) {
      return Optional.empty();
    }
    String status = text(node, "Status").orElseThrow(
        () -> new IllegalArgumentException("ProcessingStatus.Status is missing"));
    return Optional.of(
        new StatusChange(ProcessingStatus.parse(status), text(node, "Reason").orElse("")));
  }

  /** {@code Keep} or {@code ExpiresAt}, read by the rules of {@link ExpiryChange#fromFields}. */
  private static Optional<ExpiryChange> expiry(JsonNode root) {
    ObjectNode fields = HookRequests.JSON.createObjectNode();
    JsonNode keep = field(root, "Keep");
    JsonNode at = field(root, "ExpiresAt");
    if (!keep.isMissingNode()) {
      fields.set("keep", keep);
    }
    if (!at.isMissingNode()) {
      fields.set("expiresAt", at);
    }
    try {
      return ExpiryChange.fromFields(fields);
    } catch (TusException e) {
      throw new IllegalArgumentException("hook response: " + e.detail());
    }
  }

  /** {@code parent}'s field {@code name}, matched case-insensitively; a missing node if none. */
  static JsonNode field(JsonNode parent, String name) {
    if (parent == null || !parent.isObject()) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    JsonNode exact = parent.get(name);
    if (exact != null) {
      return exact;
    }
    for (Iterator<String> it = parent.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (n.equalsIgnoreCase(name)) {
        return parent.get(n);
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static boolean bool(JsonNode parent, String name) {
    JsonNode v = field(parent, name);
    if (!v.isMissingNode() && !v.isNull() && !v.isBoolean()) {
      throw new IllegalArgumentException(name + " is not a boolean");
    }
    return v.asBoolean(false);
  }

  private static Optional<String> text(JsonNode parent, String name) {
    JsonNode v = field(parent, name);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException(name + " is not a string");
    }
    return Optional.of(v.asText());
  }

  /** A JSON object of strings; an array value counts by its first element (HTTP header style). */
  private static Optional<Map<String, String>> stringMap(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object of strings");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isArray()) {
        v = v.size() == 0 ? null : v.get(0);
      }
      if (v != null && !v.isNull()) {
        if (!v.isValueNode()) {
          throw new IllegalArgumentException(e.getKey() + " is not a string");
        }
        map.put(e.getKey(), v.asText());
      }
    }
    return Optional.of(map);
  }
}
