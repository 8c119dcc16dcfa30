package dev.tusk.server.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

/**
 * A backend's change of an upload's expiry: the body of {@code PATCH <upload URL>/details}
 * ({@code {"expiresAt": "<ISO-8601 instant>"}} or {@code {"keep": true}}), a post-finish hook's
 * answer, or a signed link's field. Pure; thread-safe.
 *
 * <p>The rules: a new expiry lies in the future and at most {@link Ttl#LONGEST_FINITE} from now;
 * without the {@code admin} scope it is also at most {@code max-ttl} from the upload's creation
 * (TTLs are measured from creation), and keeping an upload needs {@code max-ttl never}.
 *
 * @param expiresAt the new expiry; empty to keep the upload until it is deleted
 */
public record ExpiryChange(Optional<Instant> expiresAt) {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public static final ExpiryChange KEEP = new ExpiryChange(Optional.empty());

  /**
   * Parses a request body.
   *
   * @param contentType the request's {@code Content-Type}; must be {@code application/json}
   * @throws TusException 415 for another content type, 400 for anything but exactly one of the
   *     two fields with a valid value
   */
  public static ExpiryChange parse(String contentType, byte[] body) {
    String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")) {
      throw new TusException(ErrorCode.INVALID_CONTENT_TYPE, "the body must be application/json");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw malformed("the body is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw malformed("the body must be a JSON object with expiresAt or keep");
    }
    return fromObject(node);
  }

  /**
   * The change named by the fields {@code expiresAt} and {@code keep} of a JSON object that may
   * hold other fields (a hook answer, a link request); empty if it names neither.
   */
  public static Optional<ExpiryChange> fromFields(JsonNode object) {
    JsonNode at = object.get("expiresAt");
    JsonNode keep = object.get("keep");
    if ((at == null || at.isNull()) && (keep == null || keep.isNull())) {
      return Optional.empty();
    }
    return Optional.of(of(at == null || at.isNull() ? null : at, keep == null || keep.isNull() ? null : keep));
  }

  private static ExpiryChange fromObject(JsonNode node) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("expiresAt") && !name.equals("keep")) {
        throw malformed("unknown field '" + printable(name) + "'; give expiresAt or keep");
      }
    }
    return of(node.get("expiresAt"), node.get("keep"));
  }

  private static ExpiryChange of(JsonNode at, JsonNode keep) {
    if (at != null && keep != null) {
      throw malformed("give either expiresAt or keep, not both");
    }
    if (keep != null) {
      if (!keep.isBoolean() || !keep.booleanValue()) {
        throw malformed("keep must be true (to let the upload expire, give expiresAt)");
      }
      return KEEP;
    }
    if (at == null) {
      throw malformed("give expiresAt (an ISO-8601 instant) or keep: true");
    }
    if (!at.isTextual()) {
      throw malformed("expiresAt must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
    try {
      return new ExpiryChange(Optional.of(OffsetDateTime.parse(at.textValue()).toInstant()));
    } catch (DateTimeException e) {
      throw malformed("expiresAt must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
  }

  /**
   * The expiry {@code info} gets from this change, under the rules in the class comment.
   *
   * @param admin the caller has the {@code admin} scope
   * @throws TusException 400 {@code ERR_INVALID_TTL} when a rule is broken
   */
  public Optional<Instant> resolve(UploadInfo info, Instant now, Duration maxTtl, boolean admin) {
    if (expiresAt.isEmpty()) {
      if (!admin && !Ttl.isNever(maxTtl)) {
        throw new TusException(ErrorCode.INVALID_TTL,
            "keeping an upload needs the 'admin' scope unless max-ttl is never");
      }
      return expiresAt;
    }
    Instant at = expiresAt.get();
    if (!at.isAfter(now)) {
      throw new TusException(ErrorCode.INVALID_TTL, "expiresAt " + at + " is not in the future");
    }
    if (at.isAfter(now.plus(Ttl.LONGEST_FINITE))) {
      throw new TusException(ErrorCode.INVALID_TTL,
          "expiresAt " + at + " is more than " + Ttl.LONGEST_FINITE.toDays() + " days away");
    }
    if (!admin && !Ttl.isNever(maxTtl) && at.isAfter(info.createdAt().plus(maxTtl))) {
      throw new TusException(ErrorCode.INVALID_TTL,
          "expiresAt " + at + " is beyond max-ttl (" + maxTtl.toSeconds()
              + " s from the upload's creation at " + info.createdAt() + ")");
    }
    return expiresAt;
  }

  private static TusException malformed(String detail) {
    return new TusException(ErrorCode.MALFORMED_BODY, detail);
  }

  private static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 64 ? p.substring(0, 64) + "..." : p;
  }
}
