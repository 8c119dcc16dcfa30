package dev.tusk.server.links;

import dev.tusk.core.UploadId;
import dev.tusk.server.limits.Limits;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a signed upload link declares: the one upload it may create (its id is fixed when the link
 * is issued, so the link cannot create a second one) and what that upload must be. Every field is
 * covered by the link's signature.
 *
 * @param uploadId the id the upload gets
 * @param owner the owner of the upload (the issuer's owner id)
 * @param expiresAt after this the link creates nothing
 * @param filename the upload's {@code filename} metadata, if declared
 * @param size the exact length the upload must have
 * @param maxSize the largest length the upload may have
 * @param contentTypes types or {@code type/*} the declared {@code filetype} must match; empty: any
 * @param sha256 the SHA-256 of the whole file, lowercase hex
 * @param md5 the MD5 of the whole file, lowercase hex
 * @param fileTtl how long the upload lives from its creation
 * @param metadata metadata set on the upload (over what the client sends)
 * @param callback where a completion notice is POSTed
 */
public record UploadLink(
    UploadId uploadId,
    String owner,
    Instant expiresAt,
    Optional<String> filename,
    OptionalLong size,
    OptionalLong maxSize,
    List<String> contentTypes,
    Optional<String> sha256,
    Optional<String> md5,
    Duration fileTtl,
    Map<String, String> metadata,
    Optional<URI> callback) {
  /** The upload attribute that holds the SHA-256 the link declared. */
  public static final String LINK_SHA256 = "link.sha256";
  /** The upload attribute that holds the MD5 the link declared. */
  public static final String LINK_MD5 = "link.md5";
  /** The upload attribute that holds the link's callback URL. */
  public static final String LINK_CALLBACK = "link.callback";


  public UploadLink {
    contentTypes = List.copyOf(contentTypes);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The size, type and TTL limits the upload is held to. */
  public Limits limits() {
    return new Limits(size.isPresent() ? size : maxSize, contentTypes, Optional.of(fileTtl));
  }
}
