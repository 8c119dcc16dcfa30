package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tusk.core.ConcatKind;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.policy.UploadPolicy.Access;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HookRequestsTest {

  @Test
  void postFinish_hasEveryTusdField() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("tus-resumable", List.of("1.0.0"));
    headers.put("authorization", List.of("Bearer a"));
    JsonNode r = HookRequests.build(HookType.POST_FINISH, Fixtures.upload(10, 10),
        Fixtures.request("PATCH", headers), Optional.empty());

    assertThat(r.path("Type").asText()).isEqualTo("post-finish");
    JsonNode u = r.path("Event").path("Upload");
    assertThat(u.path("ID").asText()).isEqualTo(Fixtures.ID.value());
    assertThat(u.path("Size").asLong()).isEqualTo(10);
    assertThat(u.path("SizeIsDeferred").asBoolean()).isFalse();
    assertThat(u.path("Offset").asLong()).isEqualTo(10);
    assertThat(u.path("MetaData").path("filename").asText()).isEqualTo("report.pdf");
    assertThat(u.path("IsPartial").isBoolean()).isTrue();
    assertThat(u.path("IsFinal").isBoolean()).isTrue();
    assertThat(u.path("PartialUploads").isNull()).isTrue();
    assertThat(u.path("Storage").path("Path").asText()).endsWith(Fixtures.ID.value());
    JsonNode h = r.path("Event").path("HTTPRequest");
    assertThat(h.path("Method").asText()).isEqualTo("PATCH");
    assertThat(h.path("URI").asText()).isEqualTo("/files/" + Fixtures.ID);
    assertThat(h.path("RemoteAddr").asText()).isEqualTo("127.0.0.1:59395");
    assertThat(h.path("Header").path("Tus-Resumable").get(0).asText()).isEqualTo("1.0.0");
    assertThat(h.path("Header").path("Authorization").get(0).asText()).isEqualTo("Bearer a");
    assertThat(r.path("Event").has("Access")).isFalse();
  }

  @Test
  void preCreate_hasEmptyIdAndNoStorage() {
    JsonNode u = HookRequests.build(HookType.PRE_CREATE, Fixtures.upload(0, 10),
        Fixtures.request("POST", Map.of()), Optional.empty()).path("Event").path("Upload");
    assertThat(u.path("ID").asText()).isEmpty();
    assertThat(u.path("Storage").isNull()).isTrue();
  }

  @Test
  void deferredLength_isSizeZeroAndDeferred() {
    UploadInfo deferred = UploadInfo.draft(Fixtures.ID, OptionalLong.empty(), Map.of(), Fixtures.T0, Fixtures.T0);
    JsonNode u = HookRequests.upload(deferred, false);
    assertThat(u.path("Size").asLong()).isZero();
    assertThat(u.path("SizeIsDeferred").asBoolean()).isTrue();
  }

  @Test
  void finalUpload_listsItsPartials() {
    UploadId p1 = new UploadId("partial-0001");
    UploadId p2 = new UploadId("partial-0002");
    UploadInfo fin = Fixtures.upload(0, 10).withConcat(ConcatKind.FINAL, List.of(p1, p2));
    JsonNode u = HookRequests.upload(fin, false);
    assertThat(u.path("IsFinal").asBoolean()).isTrue();
    assertThat(u.path("IsPartial").asBoolean()).isFalse();
    assertThat(u.path("PartialUploads").get(1).asText()).isEqualTo("partial-0002");
  }

  @Test
  void preAccess_carriesModeAndFiles() {
    JsonNode patch = HookRequests.build(HookType.PRE_ACCESS, Fixtures.upload(0, 10),
        Fixtures.request("PATCH", Map.of()), Optional.of(Access.PATCH));
    JsonNode get = HookRequests.build(HookType.PRE_ACCESS, Fixtures.upload(0, 10),
        Fixtures.request("GET", Map.of()), Optional.of(Access.GET));
    assertThat(patch.path("Event").path("Access").path("Mode").asText()).isEqualTo("write");
    assertThat(get.path("Event").path("Access").path("Mode").asText()).isEqualTo("read");
    assertThat(get.path("Event").path("Access").path("Files").get(0).path("ID").asText())
        .isEqualTo(Fixtures.ID.value());
  }

  @Test
  void headerNames_areCanonicalizedLikeGoAndMerged() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("x-forwarded-for", List.of("a"));
    headers.put("X-FORWARDED-FOR", List.of("b"));
    headers.put("bad header", List.of("c"));
    Map<String, List<String>> canonical = HookRequests.canonical(headers);
    assertThat(canonical).containsEntry("X-Forwarded-For", List.of("a", "b"));
    assertThat(canonical).containsEntry("bad header", List.of("c"));
  }
}
