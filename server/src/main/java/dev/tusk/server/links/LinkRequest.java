package dev.tusk.server.links;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.Scopes;
import dev.tusk.server.protocol.Ttl;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST <base path>links}, checked and turned into the {@link UploadLink} to
 * sign. Fields (all optional): {@code filename}, {@code size} (exact) or {@code max_size},
 * {@code content_types}, {@code sha256} or {@code md5} (hex) of the whole file, {@code ttl} (link
 * validity, seconds), {@code file_ttl} (upload lifetime, seconds) or {@code keep} ({@code true}:
 * the upload is kept until deleted; for {@code admin} callers, or when the file TTL may be
 * {@code never}), {@code metadata} (strings), {@code callback_url}, and for {@code admin} callers
 * {@code owner}. The issuer's own limits cap
 * the link's: a link never allows more than the credential that issued it.
 */
public final class LinkRequest {
  private static final Set<String> FIELDS =
      Set.of(
          "filename", "size", "max_size", "content_types", "sha256", "md5", "ttl", "file_ttl",
          "keep", "metadata", "callback_url", "owner");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern METADATA_KEY = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]{1,128}");

  /** The server-side bounds a link request is checked against. */
  public record Bounds(
      long serverMaxSize,
      Duration defaultFileTtl,
      Duration maxFileTtl,
      Duration defaultLinkTtl,
      Duration maxLinkTtl,
      int maxMetadataKeys,
      int maxMetadataBytes) {}

  private LinkRequest() {}

  public static UploadLink parse(
      JsonNode body, Principal issuer, Instant now, Bounds bounds, CallbackHosts callbackHosts) {
    if (body == null || !body.isObject()) {
      throw bad("the body must be a JSON object");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw bad("unknown field '" + printable(name) + "'; known fields: " + FIELDS);
      }
    }
    Limits issuerLimits = Limits.fromClaims(issuer.claims());
    OptionalLong size = length(body, "size");
    OptionalLong maxSize = length(body, "max_size");
    if (size.isPresent() && maxSize.isPresent()) {
      throw bad("give either size or max_size, not both");
    }
    OptionalLong bound = size.isPresent() ? size : maxSize;
    long cap = Math.min(
        bounds.serverMaxSize() > 0 ? bounds.serverMaxSize() : Long.MAX_VALUE,
        issuerLimits.maxSize().orElse(Long.MAX_VALUE));
    if (bound.isPresent() && bound.getAsLong() > cap) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED, "the link's size exceeds the maximum of " + cap + " bytes");
    }
    if (bound.isEmpty() && cap != Long.MAX_VALUE) {
      maxSize = OptionalLong.of(cap);
    }
    List<String> types = strings(body, "content_types");
    try {
      new Limits(OptionalLong.empty(), types, Optional.empty());
    } catch (IllegalArgumentException e) {
      throw bad("content_types: " + e.getMessage());
    }
    for (String t : types) {
      if (!issuerLimits.allowsType(Optional.of(t))) {
        throw new TusException(
            ErrorCode.INVALID_CONTENT_TYPE, "this credential may not allow the type " + t);
      }
    }
    if (types.isEmpty()) {
      types = issuerLimits.allowedTypes();
    }
    Optional<String> sha256 = hex(body, "sha256", SHA256);
    Optional<String> md5 = hex(body, "md5", MD5);
    Duration linkTtl = seconds(body, "ttl", bounds.defaultLinkTtl(), bounds.maxLinkTtl());
    Duration fileMax = issuerLimits.maxTtl()
        .filter(t -> t.compareTo(bounds.maxFileTtl()) < 0)
        .orElse(bounds.maxFileTtl());
    Duration fileDefault = bounds.defaultFileTtl().compareTo(fileMax) > 0 ? fileMax : bounds.defaultFileTtl();
    Duration fileTtl =
        keep(body, issuer, fileMax) ? Ttl.NEVER : seconds(body, "file_ttl", fileDefault, fileMax);
    if (fileTtl.compareTo(linkTtl) < 0) {
      throw new TusException(
          ErrorCode.INVALID_TTL, "file_ttl must be at least the link's ttl (" + linkTtl.toSeconds() + " s)");
    }
    Optional<String> filename = text(body, "filename", 1024);
    Map<String, String> metadata = metadata(body, bounds, filename.isPresent());
    Optional<URI> callback = callback(body, callbackHosts);
    String owner = issuer.id();
    Optional<String> asked = text(body, "owner", 256);
    if (asked.isPresent() && !asked.get().equals(owner)) {
      if (!issuer.scopes().contains(Scopes.ADMIN)) {
        throw new TusException(ErrorCode.FORBIDDEN, "only an admin may issue links for another owner");
      }
      owner = asked.get();
    }
    return new UploadLink(
        UploadId.random(), owner, now.plus(linkTtl), filename, size, maxSize, types, sha256, md5,
        fileTtl, metadata, callback);
  }

  /** {@code keep: true}: the link's upload is kept until deleted (admin, or file TTL never). */
  private static boolean keep(JsonNode body, Principal issuer, Duration fileMax) {
    JsonNode n = body.get("keep");
    if (n == null || n.isNull() || (n.isBoolean() && !n.booleanValue())) {
      return false;
    }
    if (!n.isBoolean()) {
      throw bad("keep must be true or false");
    }
    if (body.hasNonNull("file_ttl")) {
      throw bad("give either file_ttl or keep, not both");
    }
    if (!issuer.scopes().contains(Scopes.ADMIN) && !Ttl.isNever(fileMax)) {
      throw new TusException(
          ErrorCode.INVALID_TTL, "keeping a link's upload needs the 'admin' scope unless max-ttl is never");
    }
    return true;
  }

  private static OptionalLong length(JsonNode body, String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return OptionalLong.empty();
    }
    if (!n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() < 0) {
      throw bad(name + " must be a whole number of bytes >= 0");
    }
    return OptionalLong.of(n.asLong());
  }

  private static List<String> strings(JsonNode body, String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray() || n.size() > 64) {
      throw bad(name + " must be an array of at most 64 strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw bad(name + " must be an array of strings");
      }
      out.add(e.asText().strip().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static Optional<String> hex(JsonNode body, String name, Pattern pattern) {
    return text(body, name, 128).map(v -> v.toLowerCase(Locale.ROOT)).map(v -> {
      if (!pattern.matcher(v).matches()) {
        throw bad(name + " must be the hex digest of the whole file");
      }
      return v;
    });
  }

  private static Duration seconds(JsonNode body, String name, Duration fallback, Duration max) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return fallback;
    }
    long ceiling = Ttl.finiteCeiling(max).toSeconds();
    if (!n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() < 1
        || n.asLong() > ceiling) {
      throw new TusException(
          ErrorCode.INVALID_TTL, name + " must be a whole number of seconds from 1 to " + ceiling);
    }
    return Duration.ofSeconds(n.asLong());
  }

  private static Optional<String> text(JsonNode body, String name, int maxLength) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > maxLength) {
      throw bad(name + " must be a string of 1 to " + maxLength + " characters");
    }
    return Optional.of(n.asText());
  }

  private static Map<String, String> metadata(JsonNode body, Bounds bounds, boolean withFilename) {
    JsonNode n = body.get("metadata");
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw bad("metadata must be an object of strings");
    }
    int bytes = 0;
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!METADATA_KEY.matcher(e.getKey()).matches() || !e.getValue().isTextual()) {
        throw bad("metadata keys must be printable ASCII without spaces or commas, values strings");
      }
      out.put(e.getKey(), e.getValue().asText());
      bytes += e.getKey().length() + e.getValue().asText().length() * 4 / 3 + 4;
    }
    if (out.size() + (withFilename ? 1 : 0) > bounds.maxMetadataKeys() || bytes > bounds.maxMetadataBytes()) {
      throw new TusException(
          ErrorCode.HEADERS_TOO_LARGE,
          "link metadata exceeds " + bounds.maxMetadataKeys() + " keys or " + bounds.maxMetadataBytes() + " bytes");
    }
    return out;
  }

  private static Optional<URI> callback(JsonNode body, CallbackHosts hosts) {
    Optional<String> text = text(body, "callback_url", 2048);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(text.get());
    } catch (URISyntaxException e) {
      throw bad("callback_url is not a URL");
    }
    if (!hosts.allows(uri)) {
      throw new TusException(
          ErrorCode.FORBIDDEN,
          "callback_url host is not on this server's callback allow-list");
    }
    return Optional.of(uri);
  }

  private static TusException bad(String detail) {
    return new TusException(ErrorCode.INVALID_REQUEST, detail);
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 64 ? p.substring(0, 64) + "..." : p;
  }
}
