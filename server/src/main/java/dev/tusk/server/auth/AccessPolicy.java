package dev.tusk.server.auth;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.links.CallbackSender;
import dev.tusk.server.links.LinkUploads;
import dev.tusk.server.links.RequestStates;
import dev.tusk.server.links.UploadLink;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.Scopes;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.ContentTypes;
import dev.tusk.server.protocol.Ttl;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upload side of access control: records the owner, lets only the owner (or {@code admin})
 * near an upload — anyone else gets the 404 an unknown upload gets — holds uploads to their
 * credential's or link's limits, ends bodies slower than the minimum speed, checks a link's
 * whole-file checksum at completion and fires the link's callback. Uploads created without a
 * principal (mode none) have no owner and are open to all. Thread-safe.
 */
final class AccessPolicy implements UploadPolicy {
  private final AuthConfig config;
  private final StoreCapabilities store;
  private final Clock clock;
  private final RequestStates states;
  private final CallbackSender callbacks;

  AccessPolicy(
      AuthConfig config, StoreCapabilities store, Clock clock, RequestStates states,
      CallbackSender callbacks) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.states = states;
    this.callbacks = callbacks;
  }

  @Override
  public UploadInfo beforeCreate(RequestContext request, UploadInfo draft) throws IOException {
    Optional<RequestStates.State> state = states.get(request.traceId());
    state.ifPresent(s -> s.startOffset = 0);
    Optional<Principal> principal = request.principal();
    if (principal.isEmpty()) {
      return draft;
    }
    Principal p = principal.get();
    Optional<UploadLink> link = state.flatMap(s -> s.link);
    if (link.isPresent()) {
      return LinkUploads.apply(draft, link.get(), store);
    }
    if (!p.has(Scopes.UPLOAD)) {
      throw forbidden(Scopes.UPLOAD);
    }
    // the partials of a final were each let through beforeAccess (CONCATENATE) already
    return withinLimits(draft, Limits.fromClaims(p.claims())).withAttribute(Principal.OWNER, p.id());
  }

  /** The checks read the request's principal and the upload's owner, both in memory. */
  @Override
  public boolean accessMayBlock() {
    return false;
  }

  @Override
  public void beforeAccess(RequestContext request, UploadInfo info, Access access) throws IOException {
    if (access == Access.PATCH) {
      states.get(request.traceId()).ifPresent(s -> s.startOffset = info.offset());
    }
    Optional<Principal> principal = request.principal();
    if (principal.isEmpty()) {
      return;
    }
    Principal p = principal.get();
    String linked = p.claims().get(Principal.LINK_CLAIM);
    if (linked != null) {
      // a link holder may continue, inspect and cancel its one upload, nothing else
      if (!linked.equals(info.id().value()) || access == Access.GET || access == Access.DETAILS
          || access == Access.EXPIRY) {
        throw notFound(info.id());
      }
      return;
    }
    if (!p.scopes().contains(Scopes.ADMIN) && !p.id().equals(info.attributes().get(Principal.OWNER))) {
      throw notFound(info.id());
    }
    switch (access) {
      case GET, DETAILS -> require(p, Scopes.DOWNLOAD);
      case EXPIRY -> {
        if (!p.scopes().contains(Scopes.ADMIN)) {
          if (!config.ownerExpiry()) {
            throw new TusException(ErrorCode.FORBIDDEN,
                "changing an upload's expiry needs the 'admin' scope (auth.owner-expiry is off)");
          }
          require(p, Scopes.UPLOAD);
        }
      }
      case HEAD -> {
        if (!p.has(Scopes.UPLOAD) && !p.has(Scopes.DOWNLOAD)) {
          throw forbidden(Scopes.UPLOAD + "' or '" + Scopes.DOWNLOAD);
        }
      }
      default -> require(p, Scopes.UPLOAD);
    }
    if (access == Access.PATCH && info.length().isEmpty()) {
      declaredLength(request).ifPresent(length -> {
        Limits limits = Limits.fromClaims(p.claims());
        if (limits.maxSize().isPresent() && length > limits.maxSize().getAsLong()) {
          throw Limits.tooLarge(length, limits.maxSize().getAsLong());
        }
      });
    }
  }

  @Override
  public boolean onProgress(RequestContext request, UploadInfo info) {
    if (config.minBytesPerSecond() == 0) {
      return false;
    }
    Optional<RequestStates.State> state = states.get(request.traceId());
    if (state.isEmpty() || state.get().startOffset < 0) {
      return false;
    }
    Duration elapsed = Duration.between(state.get().start, clock.instant());
    if (elapsed.compareTo(config.minSpeedGrace()) <= 0) {
      return false;
    }
    long received = info.offset() - state.get().startOffset;
    if (received * 1000 < config.minBytesPerSecond() * elapsed.toMillis()) {
      // ends the request; the pump keeps what was received ("SHOULD store as much as possible")
      throw new TusException(
          ErrorCode.UPLOAD_TOO_SLOW,
          "received " + received + " bytes in " + elapsed.toSeconds() + " s, below the minimum of "
              + config.minBytesPerSecond() + " bytes/s; what arrived is kept, resume from Upload-Offset");
    }
    return false;
  }

  @Override
  public UploadInfo beforeFinish(RequestContext request, UploadInfo info) throws IOException {
    LinkUploads.verifyChecksum(info, store);
    return info;
  }

  @Override
  public void afterFinish(RequestContext request, UploadInfo info) {
    if (callbacks != null && info.attributes().containsKey(UploadLink.LINK_CALLBACK)) {
      callbacks.send(info);
    }
  }

  /** Size, type and TTL limits of a credential; the TTL is shortened, the others reject. */
  private UploadInfo withinLimits(UploadInfo draft, Limits limits) {
    if (limits.maxSize().isPresent()) {
      if (draft.length().isEmpty()) {
        throw new TusException(
            ErrorCode.INVALID_UPLOAD_DEFER_LENGTH,
            "uploads of this credential must declare Upload-Length (it has a size limit)");
      }
      if (draft.length().getAsLong() > limits.maxSize().getAsLong()) {
        throw Limits.tooLarge(draft.length().getAsLong(), limits.maxSize().getAsLong());
      }
    }
    if (draft.concat() != ConcatKind.PARTIAL && !limits.allowsType(ContentTypes.declared(draft.metadata()))) {
      throw new TusException(
          ErrorCode.INVALID_CONTENT_TYPE,
          "the declared filetype is not one this credential may upload: " + limits.allowedTypes());
    }
    if (limits.maxTtl().isPresent() && !Ttl.isNever(limits.maxTtl().get())) {
      // compared as durations: createdAt + a claim of up to 2^63-1 s is past any Instant
      Duration maxTtl = limits.maxTtl().get();
      if (draft.isKept()
          || Duration.between(draft.createdAt(), draft.expiresAt().get()).compareTo(maxTtl) > 0) {
        Duration ttl = maxTtl.compareTo(Ttl.LONGEST_FINITE) > 0 ? Ttl.LONGEST_FINITE : maxTtl;
        return draft.withExpiresAt(draft.createdAt().plus(ttl));
      }
    }
    return draft;
  }

  private static Optional<Long> declaredLength(RequestContext request) {
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Upload-Length") && !h.getValue().isEmpty()) {
        try {
          return Optional.of(Long.parseLong(h.getValue().get(0).trim()));
        } catch (NumberFormatException e) {
          return Optional.empty(); // the handler answers the malformed header
        }
      }
    }
    return Optional.empty();
  }

  private static void require(Principal p, String scope) {
    if (!p.has(scope)) {
      throw forbidden(scope);
    }
  }

  static TusException notFound(UploadId id) {
    return new TusException(ErrorCode.UPLOAD_NOT_FOUND, "upload " + id + " not found");
  }

  private static TusException forbidden(String scope) {
    return new TusException(ErrorCode.FORBIDDEN, "this credential lacks the '" + scope + "' scope");
  }
}
