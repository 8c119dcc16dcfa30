package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tusk.core.ConcatKind;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UploadDetailsTest {
  static final Instant CREATED = Instant.parse("2026-11-23T10:00:00Z");
  static final UploadId ID = new UploadId("0123456789abcdef0123456789abcdef");

  @Test
  void of_completeUpload_hasEveryField() throws Exception {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("filename", "a.png");
    metadata.put("filetype", "image/png");
    UploadInfo info =
        UploadInfo.draft(ID, OptionalLong.of(5), metadata, CREATED, CREATED.plusSeconds(3600))
            .withOffset(5, CREATED.plusSeconds(2));
    JsonNode json = new ObjectMapper().readTree(UploadDetails.bytes(info, "http://h/files/" + ID));
    assertThat(json.get("id").asText()).isEqualTo(ID.value());
    assertThat(json.get("url").asText()).isEqualTo("http://h/files/" + ID);
    assertThat(json.get("filename").asText()).isEqualTo("a.png");
    assertThat(json.get("size").asLong()).isEqualTo(5);
    assertThat(json.get("offset").asLong()).isEqualTo(5);
    assertThat(json.get("complete").asBoolean()).isTrue();
    assertThat(json.get("contentType").asText()).isEqualTo("image/png");
    assertThat(json.get("createdAt").asText()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(json.get("updatedAt").asText()).isEqualTo("2026-11-23T10:00:02Z");
    assertThat(json.get("expiresAt").asText()).isEqualTo("2026-11-23T11:00:00Z");
    assertThat(json.get("ttlSeconds").asLong()).isEqualTo(3600);
    assertThat(json.get("metadata").get("filetype").asText()).isEqualTo("image/png");
    assertThat(json.get("partial").asBoolean()).isFalse();
    assertThat(json.get("final").asBoolean()).isFalse();
    assertThat(json.get("partials")).isEmpty();
  }

  @Test
  void of_deferredUploadWithoutName_hasNulls() throws Exception {
    UploadInfo info =
        UploadInfo.draft(ID, OptionalLong.empty(), Map.of(), CREATED, CREATED.plusSeconds(60));
    JsonNode json = new ObjectMapper().readTree(UploadDetails.bytes(info, "u"));
    assertThat(json.get("size").isNull()).isTrue();
    assertThat(json.get("filename").isNull()).isTrue();
    assertThat(json.get("complete").asBoolean()).isFalse();
    assertThat(json.get("contentType").asText()).isEqualTo("application/octet-stream");
  }

  @Test
  void of_keptUpload_expiresAtAndTtlAreNull() throws Exception {
    UploadInfo info =
        UploadInfo.draft(ID, OptionalLong.of(1), Map.of(), CREATED, Optional.empty());
    JsonNode json = new ObjectMapper().readTree(UploadDetails.bytes(info, "u"));
    assertThat(json.has("expiresAt")).isTrue();
    assertThat(json.get("expiresAt").isNull()).isTrue();
    assertThat(json.get("ttlSeconds").isNull()).isTrue();
  }

  @Test
  void of_finalUpload_namesItsPartials() throws Exception {
    UploadId p = new UploadId("partial-upload-1");
    UploadInfo info =
        UploadInfo.draft(ID, OptionalLong.of(0), Map.of(), CREATED, CREATED.plusSeconds(60))
            .withConcat(ConcatKind.FINAL, List.of(p));
    JsonNode json = new ObjectMapper().readTree(UploadDetails.bytes(info, "u"));
    assertThat(json.get("final").asBoolean()).isTrue();
    assertThat(json.get("partials").get(0).asText()).isEqualTo(p.value());
  }

  @Test
  void filename_fallsBackToName() {
    assertThat(UploadDetails.filename(Map.of("name", "n.txt"))).contains("n.txt");
    assertThat(UploadDetails.filename(Map.of("filename", "f.txt", "name", "n.txt"))).contains("f.txt");
    assertThat(UploadDetails.filename(Map.of())).isEmpty();
  }
}
