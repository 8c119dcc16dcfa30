package dev.tusk.server.handlers;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Problems;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.PatchRequest;
import io.undertow.io.IoCallback;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import java.io.IOException;

/**
 * Opens an append session for a checked request, answers {@code Expect: 100-continue} (only now,
 * once the request is known to be acceptable) and pumps the body into the store.
 */
final class Appender {
  private Appender() {}

  /** Reports progress to the policy (tusd post-receive) unless there is none. */
  private static java.util.function.LongPredicate progress(
      TusContext ctx, RequestContext request, UploadInfo info) {
    if (ctx.policy() == UploadPolicy.NONE) {
      return offset -> false;
    }
    java.time.Instant now = ctx.uploads().now();
    return offset -> ctx.policy().onProgress(request, info.withOffset(offset, now));
  }

  /**
   * @param stored told the upload's offset after each stored buffer (on the storage executor);
   *     null for none
   */
  static void start(
      TusContext ctx,
      HttpServerExchange exchange,
      UploadInfo info,
      PatchRequest body,
      long allowed,
      StopRelay relay,
      Runnable settled,
      RequestContext request,
      BodyPump.Outcome outcome,
      java.util.function.LongConsumer stored)
      throws IOException {
    java.util.function.LongPredicate policy = progress(ctx, request, info);
    java.util.function.LongPredicate stopAt =
        stored == null ? policy : offset -> {
          stored.accept(offset);
          return policy.test(offset);
        };
    AppendSession session = ctx.uploads().store().openAppend(info, body.verifiesChecksum());
    if (body.contentLength() > 0) {
      session.expect(Math.min(body.contentLength(), allowed));
    }
    BodyPump pump =
        new BodyPump(
            exchange, ctx.storage(), ctx.buffers(), session, allowed, body.checksum(),
            body.checksumTrailer(), settled, stopAt, outcome);
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          // a running pump closes the session itself once it committed or rolled back
          if (!pump.isRunning()) {
            try {
              session.close();
            } catch (IOException ignored) {
              // committed or rolled back already
            }
          }
          next.proceed();
        });
    relay.attach(pump);
    Runnable untrack = ctx.inFlight().track(pump::requestStop); // shutdown asks it to stop
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          untrack.run();
          next.proceed();
        });
    if (!HttpContinue.requiresContinueResponse(exchange)) {
      pump.start();
      return;
    }
    exchange
        .getIoThread()
        .execute(
            () ->
                HttpContinue.sendContinueResponse(
                    exchange,
                    new IoCallback() {
                      @Override
                      public void onComplete(HttpServerExchange ex, io.undertow.io.Sender s) {
                        pump.start();
                      }

                      @Override
                      public void onException(
                          HttpServerExchange ex, io.undertow.io.Sender s, IOException e) {
                        Problems.send(ex, e);
                      }
                    }));
  }
}
