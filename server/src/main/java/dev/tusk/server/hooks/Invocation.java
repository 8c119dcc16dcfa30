package dev.tusk.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One hook request as it is sent: the type, the event id (the {@code Idempotency-Key}, the same on
 * every retry) and the JSON body, with the few facts receivers need outside the body (file hooks'
 * {@code TUS_*} variables, forwarded client headers) read back from it.
 */
record Invocation(HookType type, String eventId, byte[] body) {

  static Invocation of(HookType type, String eventId, ObjectNode request) {
    try {
      return new Invocation(type, eventId, HookRequests.JSON.writeValueAsBytes(request));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode tree() {
    try {
      return HookRequests.JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The client's values of request header {@code name} (any case), from Event.HTTPRequest.Header. */
  static List<String> clientHeader(JsonNode tree, String name) {
    JsonNode header = tree.path("Event").path("HTTPRequest").path("Header");
    List<String> values = new ArrayList<>();
    for (var e : header.properties()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        e.getValue().forEach(v -> values.add(v.asText()));
      }
    }
    return values;
  }

  /** Event.Upload.{@code field} as text, if present. */
  static Optional<String> uploadField(JsonNode tree, String field) {
    JsonNode v = tree.path("Event").path("Upload").path(field);
    return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
