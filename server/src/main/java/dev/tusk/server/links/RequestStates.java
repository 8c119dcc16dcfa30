package dev.tusk.server.links;

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
public final class RequestStates {
  /** One request's state; {@code startOffset} is -1 until the policy learns the upload's offset. */
  public static final class State {
    public final Instant start;
    public final Optional<UploadLink> link;
    public volatile long startOffset = -1;

    public State(Instant start, Optional<UploadLink> link) {
      this.start = start;
      this.link = link;
    }
  }

  private final Map<String, State> byTrace = new ConcurrentHashMap<>();

  public void open(String traceId, Instant start, Optional<UploadLink> link) {
    byTrace.put(traceId, new State(start, link));
  }

  public Optional<State> get(String traceId) {
    return Optional.ofNullable(byTrace.get(traceId));
  }

  public void close(String traceId) {
    byTrace.remove(traceId);
  }
}
