package dev.tusk.server.protocol;

import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.HttpDates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Validators of a complete upload and the conditional requests evaluated against them (RFC 9110
 * section 13): {@code If-None-Match} and {@code If-Modified-Since} (304), {@code If-Range}.
 *
 * <p>The ETag is strong: a complete upload never changes (tus offers no way to rewrite bytes, and
 * an id is never reused), so a hash of the id, the length and the creation instant identifies its
 * bytes exactly. {@code Last-Modified} is when the upload was last written, to the second.
 */
public final class Conditionals {
  private static final MessageDigest SHA_256 = newSha256();

  /**
   * Recently computed ETags, direct-mapped by upload id: a download asks for the same upload's
   * ETag on every request, and the hash cost 2 % of a 64 KiB range's I/O-thread CPU.
   * Entries are immutable; a collision only costs a hash.
   */
  private static final Tagged[] RECENT = new Tagged[64];

  private record Tagged(String id, long length, Instant createdAt, String etag) {}

  private Conditionals() {}

  /** The strong ETag of a complete upload: {@code "<32 hex digits>"}, SHA-256 of id, length, createdAt. */
  public static String etag(UploadInfo info) {
    String id = info.id().value();
    long length = info.length().orElse(-1);
    int slot = id.hashCode() & (RECENT.length - 1);
    Tagged recent = RECENT[slot];
    if (recent != null && recent.length() == length && recent.id().equals(id)
        && recent.createdAt().equals(info.createdAt())) {
      return recent.etag();
    }
    String etag = hash(info);
    RECENT[slot] = new Tagged(id, length, info.createdAt(), etag);
    return etag;
  }

  private static String hash(UploadInfo info) {
    String basis =
        info.id().value() + "\n" + info.length().orElse(-1) + "\n" + info.createdAt().toString();
    byte[] digest = sha256().digest(basis.getBytes(StandardCharsets.UTF_8));
    return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
  }

  /** A fresh SHA-256 digest, cloned from a prototype: the provider lookup cost more than hashing. */
  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  /**
   * When the upload was last written, truncated to seconds and never later than {@code now}
   * (RFC 9110: "An origin server with a clock MUST NOT generate a Last-Modified date that is later
   * than the server's time of message origination").
   */
  public static Instant lastModified(UploadInfo info, Instant now) {
    Instant updated = info.updatedAt().isAfter(now) ? now : info.updatedAt();
    return updated.truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * True if a GET is answered 304 Not Modified. RFC 9110 section 13.2.2: If-None-Match is
   * evaluated first; If-Modified-Since only when If-None-Match is absent. If-None-Match uses the
   * weak comparison and {@code *} matches any current representation; If-Modified-Since is true
   * (i.e. not modified) when {@code lastModified} is at or before the date; an invalid date is
   * ignored.
   *
   * @param ifNoneMatch every {@code If-None-Match} field line joined with commas, or null
   */
  public static boolean notModified(
      String ifNoneMatch, String ifModifiedSince, String etag, Instant lastModified) {
    if (ifNoneMatch != null) {
      if (ifNoneMatch.strip().equals("*")) {
        return true;
      }
      String opaque = opaque(etag);
      return entityTags(ifNoneMatch).stream().anyMatch(t -> opaque(t).equals(opaque));
    }
    Optional<Instant> since = HttpDates.parse(ifModifiedSince);
    return since.isPresent() && !lastModified.isAfter(since.get());
  }

  /**
   * True if the {@code Range} header is to be honoured. RFC 9110 section 13.1.5: without
   * {@code If-Range} it is; with an entity-tag the condition is true only for a strong match (a
   * weak tag never matches); with an HTTP-date only if it exactly matches {@code Last-Modified}.
   * Otherwise the whole representation is sent (200).
   */
  public static boolean rangeApplies(String ifRange, String etag, Instant lastModified) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.strip();
    if (value.startsWith("W/")) {
      return false;
    }
    if (value.startsWith("\"")) {
      return value.equals(etag);
    }
    return HttpDates.parse(value).map(lastModified::equals).orElse(false);
  }

  /** The entity-tags of an If-None-Match list; parsing stops at the first malformed element. */
  static List<String> entityTags(String list) {
    List<String> tags = new ArrayList<>();
    int i = 0;
    int n = list.length();
    while (i < n) {
      char c = list.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      int start = i;
      if (list.startsWith("W/", i)) {
        i += 2;
      }
      if (i >= n || list.charAt(i) != '"') {
        break;
      }
      int close = list.indexOf('"', i + 1);
      if (close < 0) {
        break;
      }
      tags.add(list.substring(start, close + 1));
      i = close + 1;
    }
    return tags;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }
}
