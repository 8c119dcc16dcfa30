package dev.tusk.server.hooks;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.policy.RequestContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Values the hook unit tests share. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final UploadId ID = new UploadId("5d892c228ec8d0451dfec588697e8930");

  private Fixtures() {}

  static UploadInfo upload(long offset, long length) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("filename", "report.pdf");
    meta.put("filetype", "application/pdf");
    return new UploadInfo(ID, offset, OptionalLong.of(length), meta, T0, T0, Optional.of(T0.plusSeconds(86_400)),
        ConcatKind.NONE, List.of(), Map.of(), Map.of("Path", "/data/" + ID));
  }

  static RequestContext request(String method, Map<String, List<String>> headers) {
    return new RequestContext(method, "/files/" + ID, "127.0.0.1:59395", headers, Optional.empty(), "t1");
  }
}
