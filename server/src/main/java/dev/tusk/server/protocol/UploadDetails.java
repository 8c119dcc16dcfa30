package dev.tusk.server.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.core.ConcatKind;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The details document of an upload ({@code GET <upload URL>/details} and the body of a
 * single-request upload's 201). Every field is always present; {@code size} and {@code filename}
 * are {@code null} when unknown. Instants are ISO-8601 UTC; {@code ttlSeconds} is {@code expiresAt
 * - createdAt}, since expiry is measured from creation. Both are {@code null} for an upload kept
 * until deleted. Thread-safe.
 */
public final class UploadDetails {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UploadDetails() {}

  /** The client's name for the file: metadata {@code filename}, else {@code name}. */
  public static Optional<String> filename(Map<String, String> metadata) {
    String name = metadata.get("filename");
    if (name == null || name.isEmpty()) {
      name = metadata.get("name");
    }
    return name == null || name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  /**
   * @param url the upload's absolute URL
   */
  public static ObjectNode of(UploadInfo info, String url) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", info.id().value());
    node.put("url", url);
    node.put("filename", filename(info.metadata()).orElse(null));
    if (info.length().isPresent()) {
      node.put("size", info.length().getAsLong());
    } else {
      node.putNull("size");
    }
    node.put("offset", info.offset());
    node.put("complete", info.isComplete());
    node.put("contentType", ContentTypes.forResponse(ContentTypes.declared(info.metadata())));
    node.put("createdAt", info.createdAt().toString());
    node.put("updatedAt", info.updatedAt().toString());
    if (info.expiresAt().isPresent()) {
      Instant expiresAt = info.expiresAt().get();
      node.put("expiresAt", expiresAt.toString());
      node.put("ttlSeconds", Duration.between(info.createdAt(), expiresAt).toSeconds());
    } else {
      node.putNull("expiresAt");
      node.putNull("ttlSeconds");
    }
    ObjectNode metadata = node.putObject("metadata");
    info.metadata().forEach(metadata::put);
    node.put("partial", info.concat() == ConcatKind.PARTIAL);
    node.put("final", info.concat() == ConcatKind.FINAL);
    ArrayNode partials = node.putArray("partials");
    info.partials().stream().map(UploadId::value).forEach(partials::add);
    // the processing status hooks set (dev.tusk.server.hooks.ProcessingStatus); null if none
    node.put("status", info.attributes().get("status"));
    node.put("statusReason", info.attributes().get("statusReason"));
    // the owner access control recorded (dev.tusk.server.auth); null when authentication is off
    node.put("owner", info.attributes().get("owner"));
    return node;
  }

  /** {@link #of} as UTF-8 JSON bytes. */
  public static byte[] bytes(UploadInfo info, String url) {
    try {
      return JSON.writeValueAsBytes(of(info, url));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode upload details", e);
    }
  }
}
