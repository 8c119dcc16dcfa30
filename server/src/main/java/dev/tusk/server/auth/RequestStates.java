package dev.tusk.server.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the filter learned about a request that the policy needs later (the policy sees only a
 * {@link dev.tusk.server.policy.RequestContext}): when the request started, the offset its body
 * started at, and the verified link it carries. Keyed by trace id; an entry lives from the
 * filter until the exchange completes. Thread-safe.
 */
final class RequestStates {
  /** One request's state; {@code startOffset} is -1 until the policy learns the upload's offset. */
  static final class State {
    final Instant start;
    final Optional<UploadLink> link;
    volatile long startOffset = -1;

    State(Instant start, Optional<UploadLink> link) {
      this.start = start;
      this.link = link;
    }
  }

  private final Map<String, State> byTrace = new ConcurrentHashMap<>();

  void open(String traceId, Instant start, Optional<UploadLink> link) {
    byTrace.put(traceId, new State(start, link));
  }

  Optional<State> get(String traceId) {
    return Optional.ofNullable(byTrace.get(traceId));
  }

  void close(String traceId) {
    byTrace.remove(traceId);
  }
}
