package dev.tusk.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The persisted form of {@link UploadInfo}: a small JSON document, written by stores as a file or
 * an object. Unknown fields are ignored so newer servers can add fields. Thread-safe.
 *
 * <p>{@code expiresAt} is an ISO-8601 instant, or an explicit JSON {@code null} for an upload kept
 * until deleted. A document without the field is corrupt, not kept: every document ever written
 * has it, so its absence means damage, and reading damage as "keep forever" would leak storage.
 */
public final class UploadInfoJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private UploadInfoJson() {}

  record Document(
      int version,
      String id,
      long offset,
      Long length,
      Map<String, String> metadata,
      String createdAt,
      String updatedAt,
      JsonNode expiresAt,
      String concat,
      List<String> partials,
      Map<String, String> attributes,
      Map<String, String> storage) {}

  public static byte[] write(UploadInfo info) {
    Document doc =
        new Document(
            1,
            info.id().value(),
            info.offset(),
            info.length().isPresent() ? info.length().getAsLong() : null,
            info.metadata(),
            IsoInstants.format(info.createdAt()),
            IsoInstants.format(info.updatedAt()),
            info.expiresAt()
                .<JsonNode>map(at -> TextNode.valueOf(IsoInstants.format(at)))
                .orElse(NullNode.instance),
            info.concat().name(),
            info.partials().stream().map(UploadId::value).toList(),
            info.attributes(),
            info.storage());
    try {
      return MAPPER.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode upload info", e);
    }
  }

  /** Parses a document written by {@link #write}; throws {@link IOException} if it is corrupt. */
  public static UploadInfo read(byte[] json) throws IOException {
    Document doc;
    try {
      doc = MAPPER.readValue(json, Document.class);
    } catch (IOException e) {
      throw new IOException("corrupt upload info: " + e.getMessage(), e);
    }
    try {
      return new UploadInfo(
          new UploadId(doc.id()),
          doc.offset(),
          doc.length() == null ? OptionalLong.empty() : OptionalLong.of(doc.length()),
          orEmpty(doc.metadata()),
          Instant.parse(doc.createdAt()),
          Instant.parse(doc.updatedAt()),
          expiresAt(doc.expiresAt()),
          doc.concat() == null ? ConcatKind.NONE : ConcatKind.valueOf(doc.concat()),
          doc.partials() == null
              ? List.of()
              : doc.partials().stream().map(UploadId::new).toList(),
          orEmpty(doc.attributes()),
          orEmpty(doc.storage()));
    } catch (RuntimeException e) {
      throw new IOException("corrupt upload info: " + e.getMessage(), e);
    }
  }

  /** Empty for an explicit null (kept); an absent field or anything but a string is corrupt. */
  private static Optional<Instant> expiresAt(JsonNode node) {
    if (node == null) {
      throw new IllegalArgumentException("no expiresAt");
    }
    if (node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException("expiresAt is not a string");
    }
    return Optional.of(Instant.parse(node.textValue()));
  }

  /** The map, empty if absent; a null key or value is corruption (nothing writes one). */
  private static Map<String, String> orEmpty(Map<String, String> map) {
    if (map == null) {
      return Map.of();
    }
    if (map.containsKey(null) || map.containsValue(null)) {
      throw new IllegalArgumentException("null in a map");
    }
    return new LinkedHashMap<>(map);
  }
}
