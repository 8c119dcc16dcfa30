package dev.tusk.server.metrics;

import dev.tusk.core.UploadInfo;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The lifecycle of uploads as a policy that only observes: one log line (logger {@code
 * tusk.upload}) and one counter increment per event — created, finished, terminated, expired —
 * at the same points where hooks are told. Lines carry the upload id, sizes and the request's
 * trace id, never metadata (it may hold file names or tokens). Thread-safe; never rejects.
 */
public final class LifecycleEvents implements UploadPolicy {
  private static final Logger LOG = LoggerFactory.getLogger("tusk.upload");
  private final TuskMetrics metrics;

  public LifecycleEvents(TuskMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public boolean accessMayBlock() {
    return false; // counts lifecycle events only
  }

  @Override
  public void afterCreate(RequestContext request, UploadInfo info) {
    metrics.created();
    line("created", info, request)
        .addKeyValue("concat", info.concat().name().toLowerCase(Locale.ROOT))
        .addKeyValue("expires", info.expiresAt().map(Object::toString).orElse("never"))
        .log("upload created");
  }

  @Override
  public void afterFinish(RequestContext request, UploadInfo info) {
    metrics.finished();
    line("finished", info, request).log("upload finished");
  }

  @Override
  public void afterTerminate(RequestContext request, UploadInfo info) {
    metrics.terminated();
    line("terminated", info, request).log("upload terminated");
  }

  @Override
  public void afterExpire(UploadInfo info) {
    metrics.expired();
    line("expired", info, RequestContext.system()).addKeyValue("expired_at", info.expiresAt().map(Object::toString).orElse("never")).log("upload expired");
  }

  private static LoggingEventBuilder line(String event, UploadInfo info, RequestContext request) {
    LoggingEventBuilder line =
        LOG.atInfo()
            .addKeyValue("event", event)
            .addKeyValue("upload", info.id().value())
            .addKeyValue("offset", info.offset())
            .addKeyValue("length", info.length().isPresent() ? String.valueOf(info.length().getAsLong()) : "deferred");
    if (!request.traceId().isEmpty()) {
      line = line.addKeyValue("trace", request.traceId());
    }
    return line;
  }
}
