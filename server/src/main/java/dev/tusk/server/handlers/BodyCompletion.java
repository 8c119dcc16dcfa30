package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.protocol.PatchRequest;
import dev.tusk.server.protocol.TusExtensions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.EOFException;
import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * How every request that carries bytes into an upload ends: a tus PATCH, a tus
 * creation-with-upload, the single-request upload, and any other dialect's creation or append.
 * What is the same for all of them lives here; what differs is an {@link Ending}.
 *
 * <p>When the body was stored and committed: the upload's length is declared if the request's body
 * is its last part ({@link Ending#lastPart}), the policy's pre-finish runs if the upload is
 * complete (tusd pre-finish: it may still reject it), the {@link Answer} writes the response, and
 * post-finish follows. When the body failed: an upload the policy stopped is terminated, and the
 * {@link OnFailure} decides what is kept and what the client is told.
 *
 * <p>A dialect's handler checks its request, takes the upload's lock with {@link LockedRequest},
 * and then, on the storage executor, calls {@link #start}:
 *
 * <pre>{@code
 * LockedRequest.runOnUpload(ctx, exchange, id, rc, Access.PATCH, (lock, relay) -> {
 *   UploadInfo info = ctx.uploads().require(id);
 *   long allowed = PatchPreconditions.check(request, info, ctx.config().maxSize());
 *   BodyCompletion.start(ctx, exchange, rc, info, request, allowed, relay, lock::close,
 *       new BodyCompletion.Ending(
 *           BodyCompletion.Answer.status(204, (ex, stored) -> ...), OnFailure.KEEP, false));
 * });
 * }</pre>
 *
 * <p>Everything here runs on the storage executor; the exchange is ended exactly once, by the
 * answer or by the error mapping.
 */
public final class BodyCompletion implements BodyPump.Outcome {
  /** Writes the success response for the stored upload and ends the exchange. */
  @FunctionalInterface
  public interface Answer {
    /**
     * @param upload the upload after this request, after pre-finish if it completed it
     */
    void send(HttpServerExchange exchange, UploadInfo upload) throws Exception;

    /** Answers {@code status} without a body, with the headers {@code headers} puts. */
    static Answer status(int status, BiConsumer<HttpServerExchange, UploadInfo> headers) {
      return (exchange, upload) -> {
        headers.accept(exchange, upload);
        exchange.setStatusCode(status);
        Exchanges.end(exchange);
      };
    }
  }

  /** What a failed body leaves behind and what the client is told. */
  public enum OnFailure {
    /** The bytes committed are kept; the error is answered (an append: tus PATCH). */
    KEEP,
    /**
     * As {@link #KEEP}, for a request that created the upload: the server's own trouble after
     * bytes were committed still answers the creation, so the client can find and resume the
     * upload; with nothing committed the upload is terminated (see {@link PatchOutcome#failCreation}).
     */
    KEEP_CREATED,
    /** All or nothing: the upload is deleted (or expired) and the error answered. */
    DISCARD
  }

  /** Whether the body ends the upload. */
  public enum LastPart {
    /** One part among others: the upload's length stays as it is. */
    NO,
    /**
     * The client says the body is the last part: a deferred length is declared as the offset
     * reached; an upload whose length was known may still be incomplete (the draft's
     * {@code Upload-Complete: ?1}, answered with the state reached).
     */
    DECLARES_LENGTH,
    /** As {@link #DECLARES_LENGTH}, and a body that leaves the upload incomplete fails as a client that went away. */
    COMPLETES
  }

  /**
   * What a dialect adds around the common ending, on the storage executor: its own state of the
   * request (interim responses, say) and fields on a failure's answer.
   */
  public interface Dialect {
    /** Nothing added. */
    Dialect NONE = new Dialect() {};

    /** Told the upload's offset after each stored buffer. */
    default void stored(long offset) {}

    /** The body ended, either way; called once, before anything is answered. */
    default void ended() {}

    /**
     * A failed body is about to be answered.
     *
     * @param after the upload after what was committed, or null if nothing was
     */
    default void failing(HttpServerExchange exchange, UploadInfo after) {}
  }

  /**
   * The parameters of one kind of body request.
   *
   * @param answer the success response
   * @param onFailure what a failed body leaves and answers
   * @param lastPart whether the body ends the upload
   * @param dialect what the request's dialect adds
   */
  public record Ending(Answer answer, OnFailure onFailure, LastPart lastPart, Dialect dialect) {
    /**
     * A tus ending: {@code lastPart} true is {@link LastPart#COMPLETES}, false {@link
     * LastPart#NO}; no dialect.
     */
    public Ending(Answer answer, OnFailure onFailure, boolean lastPart) {
      this(answer, onFailure, lastPart ? LastPart.COMPLETES : LastPart.NO, Dialect.NONE);
    }
  }

  private final TusContext ctx;
  private final HttpServerExchange exchange;
  private final RequestContext request;
  private final UploadInfo before;
  private final Ending ending;
  private boolean ended; // the dialect was told

  /**
   * @param before the upload as it was before this request's body (what is discarded or
   *     terminated if nothing was committed)
   */
  public BodyCompletion(
      TusContext ctx, HttpServerExchange exchange, RequestContext request, UploadInfo before,
      Ending ending) {
    this.ctx = ctx;
    this.exchange = exchange;
    this.request = request;
    this.before = before;
    this.ending = ending;
  }

  /**
   * Pumps the request's body into {@code upload} and ends the request through a completion with
   * {@code ending}. Call on the storage executor while holding the upload's lock.
   *
   * @param body the checked body request (offset, checksum, length)
   * @param allowed how many bytes the body may store; more is a 413
   * @param relay the lock's release requests, from {@link LockedRequest}
   * @param release releases the upload's lock once the body is committed
   */
  public static void start(
      TusContext ctx, HttpServerExchange exchange, RequestContext request, UploadInfo upload,
      PatchRequest body, long allowed, StopRelay relay, Runnable release, Ending ending)
      throws IOException {
    Appender.start(ctx, exchange, upload, body, allowed, relay, release, request,
        new BodyCompletion(ctx, exchange, request, upload, ending),
        ending.dialect() == Dialect.NONE ? null : ending.dialect()::stored);
  }

  /** Ends a request whose upload needs no body (complete already, or nothing to read). */
  @Override
  public void completed(UploadInfo after) throws Exception {
    dialectEnded();
    UploadInfo upload = after;
    if (ending.lastPart() != LastPart.NO) {
      if (upload.length().isEmpty()) {
        LengthDeferrer deferrer = ctx.uploads().capabilities().lengthDeferrer()
            .orElseThrow(() -> TusExtensions.unsupported(TusExtensions.DEFER_LENGTH));
        upload = deferrer.declareLength(upload, upload.offset());
      }
      if (ending.lastPart() == LastPart.COMPLETES && !upload.isComplete()) {
        failed(new BodyPump.ClientGoneException(new EOFException("the body ended early")), upload);
        return;
      }
    }
    if (ending.onFailure() != OnFailure.DISCARD) {
      UploadInfo finished = PatchOutcome.beforeFinish(ctx, request, upload);
      ending.answer().send(exchange, finished);
      PatchOutcome.afterFinish(ctx, request, finished);
      return;
    }
    UploadInfo finished = upload;
    try { // all or nothing: an upload whose answer cannot be built is discarded, not left behind
      finished = PatchOutcome.beforeFinish(ctx, request, finished);
      ending.answer().send(exchange, finished);
    } catch (Exception e) {
      exchange.getResponseHeaders().remove(Headers.LOCATION);
      failed(e, finished);
      return;
    }
    PatchOutcome.afterFinish(ctx, request, finished);
  }

  @Override
  public void failed(Throwable error, UploadInfo after) throws Exception {
    dialectEnded();
    switch (ending.onFailure()) {
      case KEEP -> {
        PatchOutcome.terminateIfStopped(ctx, request, error, after);
        PatchOutcome.finishAfterFailure(ctx, request, after);
        ending.dialect().failing(exchange, after);
        PatchOutcome.fail(exchange, error);
      }
      case KEEP_CREATED -> {
        PatchOutcome.terminateIfStopped(ctx, request, error, after);
        PatchOutcome.finishAfterFailure(ctx, request, after);
        ending.dialect().failing(exchange, after);
        PatchOutcome.failCreation(ctx, exchange, request, error, before, after);
      }
      case DISCARD -> {
        UploadInfo current = after != null ? after : before;
        PatchOutcome.terminateIfStopped(ctx, request, error, current);
        PatchOutcome.discard(ctx, current);
        ending.dialect().failing(exchange, null);
        PatchOutcome.fail(exchange, beyondMaximum(error));
      }
    }
  }

  /** Tells the dialect once that the body ended (a completion may turn into a failure). */
  private void dialectEnded() {
    if (!ended) {
      ended = true;
      ending.dialect().ended();
    }
  }

  /**
   * A body of unknown length that ran past the server's maximum exceeded the maximum size (413
   * {@code ERR_MAX_SIZE_EXCEEDED}), not the length of an upload the client never declared.
   */
  private Throwable beyondMaximum(Throwable error) {
    if (before.length().isEmpty()
        && error instanceof TusException tus
        && tus.code() == ErrorCode.UPLOAD_SIZE_EXCEEDED) {
      return new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED, "the body exceeds the maximum size " + ctx.config().maxSize());
    }
    return error;
  }
}
