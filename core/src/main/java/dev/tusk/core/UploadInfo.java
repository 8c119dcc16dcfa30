package dev.tusk.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything known about one upload. Immutable; the {@code with*} methods return copies.
 *
 * @param id the upload's id
 * @param offset bytes durably stored so far
 * @param length the declared total length; empty while deferred ({@code Upload-Defer-Length: 1})
 * @param metadata the decoded {@code Upload-Metadata} pairs in the order the client sent them;
 *     values are decoded as UTF-8 and a key sent without value maps to {@code ""}
 * @param createdAt when the upload was created
 * @param updatedAt when bytes or info last changed
 * @param expiresAt when the upload expires; it answers 410 afterwards and the sweeper deletes it.
 *     Empty when the upload is kept until deleted: it never expires and the sweeper never deletes it
 * @param concat the upload's role in concatenation
 * @param partials for a {@link ConcatKind#FINAL} upload, the partial uploads in order; else empty
 * @param attributes server-level facts that are not tus fields (owner, processing status, ...);
 *     keys are defined by the server, stores persist them verbatim
 * @param storage store-private keys (an S3 multipart upload id, ...); the server never reads them
 */
public record UploadInfo(
    UploadId id,
    long offset,
    OptionalLong length,
    Map<String, String> metadata,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> expiresAt,
    ConcatKind concat,
    List<UploadId> partials,
    Map<String, String> attributes,
    Map<String, String> storage) {

  public UploadInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(concat, "concat");
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset");
    }
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    partials = List.copyOf(partials);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    storage = Collections.unmodifiableMap(new LinkedHashMap<>(storage));
  }

  /** A new, empty upload as the server asks a store to create it, expiring at {@code expiresAt}. */
  public static UploadInfo draft(
      UploadId id, OptionalLong length, Map<String, String> metadata, Instant now, Instant expiresAt) {
    return draft(id, length, metadata, now, Optional.of(expiresAt));
  }

  /** A new, empty upload; {@code expiresAt} empty means kept until deleted. */
  public static UploadInfo draft(
      UploadId id,
      OptionalLong length,
      Map<String, String> metadata,
      Instant now,
      Optional<Instant> expiresAt) {
    return new UploadInfo(
        id, 0, length, metadata, now, now, expiresAt, ConcatKind.NONE, List.of(), Map.of(), Map.of());
  }

  /** True once the length is known and every byte has arrived. */
  public boolean isComplete() {
    return length.isPresent() && offset == length.getAsLong();
  }

  /** True once {@code now} has reached the expiry; never for a kept upload. */
  public boolean isExpired(Instant now) {
    return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
  }

  /** True when the upload has no expiry: it stays until deleted. */
  public boolean isKept() {
    return expiresAt.isEmpty();
  }

  public UploadInfo withOffset(long newOffset, Instant now) {
    return new UploadInfo(
        id, newOffset, length, metadata, createdAt, now, expiresAt, concat, partials, attributes,
        storage);
  }

  public UploadInfo withLength(long newLength, Instant now) {
    return new UploadInfo(
        id, offset, OptionalLong.of(newLength), metadata, createdAt, now, expiresAt, concat,
        partials, attributes, storage);
  }

  public UploadInfo withMetadata(Map<String, String> newMetadata) {
    return new UploadInfo(
        id, offset, length, newMetadata, createdAt, updatedAt, expiresAt, concat, partials,
        attributes, storage);
  }

  public UploadInfo withId(UploadId newId) {
    return new UploadInfo(
        newId, offset, length, metadata, createdAt, updatedAt, expiresAt, concat, partials,
        attributes, storage);
  }

  public UploadInfo withConcat(ConcatKind kind, List<UploadId> newPartials) {
    return new UploadInfo(
        id, offset, length, metadata, createdAt, updatedAt, expiresAt, kind, newPartials,
        attributes, storage);
  }

  public UploadInfo withAttribute(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(attributes);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, value);
    }
    return new UploadInfo(
        id, offset, length, metadata, createdAt, updatedAt, expiresAt, concat, partials, copy,
        storage);
  }

  public UploadInfo withStorage(Map<String, String> newStorage) {
    return new UploadInfo(
        id, offset, length, metadata, createdAt, updatedAt, expiresAt, concat, partials,
        attributes, newStorage);
  }

  public UploadInfo withExpiresAt(Instant newExpiresAt) {
    return withExpiresAt(Optional.of(newExpiresAt));
  }

  /** A copy expiring at {@code newExpiresAt}, or kept until deleted when it is empty. */
  public UploadInfo withExpiresAt(Optional<Instant> newExpiresAt) {
    return new UploadInfo(
        id, offset, length, metadata, createdAt, updatedAt, newExpiresAt, concat, partials,
        attributes, storage);
  }
}
