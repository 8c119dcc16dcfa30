package dev.tusk.server.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.core.ConcatKind;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy.Access;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the hook request document in tusd's shape: {@code {"Type", "Event": {"Upload": {ID, Size,
 * SizeIsDeferred, Offset, MetaData, IsPartial, IsFinal, PartialUploads, Storage}, "HTTPRequest":
 * {Method, URI, RemoteAddr, Header}}}}, plus {@code Event.Access} ({@code {Mode, Files}}) for
 * pre-access. Pure; thread-safe.
 */
final class HookRequests {
  static final ObjectMapper JSON = new ObjectMapper();

  private HookRequests() {}

  /**
   * @param access for pre-access, the kind of access; empty otherwise
   */
  static ObjectNode build(
      HookType type, UploadInfo info, RequestContext request, Optional<Access> access) {
    ObjectNode root = JSON.createObjectNode();
    root.put("Type", type.wireName());
    ObjectNode event = root.putObject("Event");
    ObjectNode upload = upload(info, type == HookType.PRE_CREATE);
    event.set("Upload", upload);
    event.set("HTTPRequest", httpRequest(request));
    if (type == HookType.POST_EXPIRY_CHANGE) {
      ObjectNode expiry = event.putObject("Expiry");
      expiry.put("ExpiresAt", info.expiresAt().map(Object::toString).orElse(null));
      expiry.put("Keep", info.isKept());
    }
    access.ifPresent(
        a -> {
          ObjectNode node = event.putObject("Access");
          node.put("Mode",
              a == Access.PATCH || a == Access.DELETE || a == Access.EXPIRY ? "write" : "read");
          node.putArray("Files").add(upload.deepCopy());
        });
    return root;
  }

  /** tusd: "Upload ID will be null for pre-create hook"; Storage is not known yet either. */
  static ObjectNode upload(UploadInfo info, boolean preCreate) {
    ObjectNode u = JSON.createObjectNode();
    u.put("ID", preCreate ? "" : info.id().value());
    u.put("Size", info.length().orElse(0));
    u.put("SizeIsDeferred", info.length().isEmpty());
    u.put("Offset", info.offset());
    ObjectNode meta = u.putObject("MetaData");
    info.metadata().forEach(meta::put);
    u.put("IsPartial", info.concat() == ConcatKind.PARTIAL);
    u.put("IsFinal", info.concat() == ConcatKind.FINAL);
    if (info.partials().isEmpty()) {
      u.putNull("PartialUploads");
    } else {
      ArrayNode partials = u.putArray("PartialUploads");
      info.partials().stream().map(UploadId::value).forEach(partials::add);
    }
    if (preCreate) {
      u.putNull("Storage");
    } else {
      ObjectNode storage = u.putObject("Storage");
      info.storage().forEach(storage::put);
    }
    return u;
  }

  static ObjectNode httpRequest(RequestContext request) {
    ObjectNode r = JSON.createObjectNode();
    r.put("Method", request.method());
    r.put("URI", request.uri());
    r.put("RemoteAddr", request.remoteAddr());
    ObjectNode header = r.putObject("Header");
    canonical(request.headers())
        .forEach((name, values) -> values.forEach(header.withArray(name)::add));
    return r;
  }

  /**
   * Header names as Go's {@code http.CanonicalHeaderKey} writes them ({@code content-type} becomes
   * {@code Content-Type}), values of names that differ only in case merged in order — so a tusd
   * receiver's {@code Header["Authorization"]} finds the header whatever case the client used.
   */
  static Map<String, List<String>> canonical(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach(
        (name, values) ->
            out.merge(
                canonicalName(name),
                List.copyOf(values),
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
    return out;
  }

  static String canonicalName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ' ' || c == ':' || c > 0x7e || c < 0x21) {
        return name; // Go leaves names with invalid characters alone
      }
    }
    StringBuilder sb = new StringBuilder(name.length());
    boolean upper = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return sb.toString();
  }
}
