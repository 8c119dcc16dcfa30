package dev.tusk.server.handlers;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.LocalReads;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.http.Exchanges;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.HttpDates;
import dev.tusk.server.policy.RequestContext;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.protocol.ByteRange;
import dev.tusk.server.protocol.ByteRanges;
import dev.tusk.server.protocol.Conditionals;
import dev.tusk.server.protocol.ContentDisposition;
import dev.tusk.server.protocol.ContentTypes;
import dev.tusk.server.protocol.MultipartByteRanges;
import dev.tusk.server.protocol.UploadDetails;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * GET on an upload: the stored bytes of a complete upload with HTTP validators, conditional
 * requests and ranges (the decisions are {@link Conditionals} and {@link ByteRanges}); 204 with
 * the upload's tus headers while it is incomplete. Bytes leave by sendfile where the store hands
 * out a file, streamed otherwise ({@link BodySender}). {@code ?inline=1} asks for {@code inline}
 * disposition, granted only for {@link ContentTypes#INLINE} types.
 *
 * <p>Where the store reads a local file system and no access check blocks, the whole GET runs on
 * the I/O thread ({@link #servesOnIoThread}); otherwise on the storage executor.
 */
public final class DownloadHandler implements HttpHandler {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final TusContext ctx;
  private final boolean onIoThread;

  public DownloadHandler(TusContext ctx) {
    this.ctx = ctx;
    this.onIoThread = servesOnIoThread(ctx);
  }

  /**
   * True if a download can be answered on the I/O thread that parsed it: the store reads a local
   * file system ({@link LocalReads}) and the policy's access check never blocks. Nothing in such a
   * GET then waits longer than a file system call: the info is in the store's cache (or one small
   * file away), the data file is opened and the body leaves by sendfile from the page cache, which
   * is where a large body's later chunks are sent from anyway (the write listener runs on the I/O
   * thread). Handing the request to a storage thread and the end back cost more CPU than the rest
   * of a 64 KiB range (two thread hand-overs).
   */
  static boolean servesOnIoThread(TusContext ctx) {
    return ctx.uploads().capabilities().localReads().map(LocalReads::readsAreLocal).orElse(false)
        && !ctx.policy().accessMayBlock();
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    UploadId id = Exchanges.uploadId(exchange);
    if (onIoThread) {
      Guarded.run(exchange, () -> respondHere(exchange, id));
    } else {
      dispatch(exchange, id);
    }
  }

  /** Answers on the storage executor, settling an unfinished concatenation after access. */
  private void dispatch(HttpServerExchange exchange, UploadId id) {
    exchange.dispatch(
        ctx.storage(),
        Guarded.task(
            exchange,
            () -> respond(exchange, ctx.uploads().settleFinal(access(exchange, id)))));
  }

  /** On the I/O thread; an unfinished concatenation still goes to the storage executor. */
  private void respondHere(HttpServerExchange exchange, UploadId id) throws IOException {
    UploadInfo info = access(exchange, id);
    if (info.concat() == ConcatKind.FINAL && !info.isComplete()) {
      // settling may concatenate the partials, under the upload's lock
      exchange.dispatch(
          ctx.storage(),
          Guarded.task(exchange, () -> respond(exchange, ctx.uploads().settleFinal(info))));
      return;
    }
    respond(exchange, info);
  }

  private UploadInfo access(HttpServerExchange exchange, UploadId id) throws IOException {
    return ctx.uploads().access(RequestContext.of(exchange), id, UploadPolicy.Access.GET);
  }

  /** Answers for {@code info}, which the caller passed access to. */
  private void respond(HttpServerExchange exchange, UploadInfo info) throws IOException {
    HeaderMap headers = exchange.getResponseHeaders();
    if (!info.isComplete()) {
      UploadHeaders.describe(headers, info, ctx.config().basePath());
      headers.put(Headers.CACHE_CONTROL, "no-store");
      exchange.setStatusCode(204);
      Exchanges.end(exchange);
      return;
    }
    String etag = Conditionals.etag(info);
    Instant lastModified = Conditionals.lastModified(info, ctx.uploads().now());
    headers.put(Headers.ETAG, etag);
    headers.put(Headers.LAST_MODIFIED, HttpDates.format(lastModified));
    headers.put(Headers.ACCEPT_RANGES, "bytes");
    headers.put(Headers.CACHE_CONTROL, "private, no-cache");
    UploadHeaders.expires(headers, info);
    if (Conditionals.notModified(
        joined(exchange.getRequestHeaders().get(Headers.IF_NONE_MATCH)),
        Exchanges.header(exchange, Headers.IF_MODIFIED_SINCE),
        etag,
        lastModified)) {
      exchange.setStatusCode(304);
      Exchanges.end(exchange);
      return;
    }
    String range =
        Conditionals.rangeApplies(Exchanges.header(exchange, Headers.IF_RANGE), etag, lastModified)
            ? Exchanges.header(exchange, Headers.RANGE)
            : null;
    send(exchange, info, ByteRanges.plan(range, info.length().getAsLong()));
  }

  /** Sends the planned body of a complete upload: 200, 206 or 416. */
  private void send(HttpServerExchange exchange, UploadInfo info, ByteRanges plan)
      throws IOException {
    long length = info.length().getAsLong();
    if (plan.kind() == ByteRanges.Kind.UNSATISFIABLE) {
      // RFC 9110: "A server generating a 416 (Range Not Satisfiable) response to a byte-range
      // request SHOULD send a Content-Range header field with an unsatisfied-range value"
      throw new TusException(
          ErrorCode.RANGE_NOT_SATISFIABLE,
          "no range of the request lies within the " + length + " bytes of the upload",
          Map.of(Headers.CONTENT_RANGE_STRING, "bytes */" + length),
          null);
    }
    String type = ContentTypes.forResponse(ContentTypes.declared(info.metadata()));
    Body body = body(plan, type, length);
    BodySender sender =
        new BodySender(
            exchange,
            ctx.storage(),
            (position, count) -> ctx.uploads().store().openRead(info, position, count),
            body.segments());
    sender.prepare(); // a store failure here still becomes an error response
    boolean inline = wantsInline(exchange) && ContentTypes.inline(type);
    HeaderMap headers = exchange.getResponseHeaders();
    headers.put(
        Headers.CONTENT_DISPOSITION,
        ContentDisposition.format(inline, UploadDetails.filename(info.metadata())));
    headers.put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
    headers.put(Headers.CONTENT_TYPE, body.contentType());
    headers.put(Headers.CONTENT_LENGTH, body.contentLength());
    if (body.contentRange() != null) {
      headers.put(Headers.CONTENT_RANGE, body.contentRange());
    }
    exchange.setStatusCode(body.status());
    sender.start();
  }

  /** What goes out for a plan: status, the entity headers and the body's segments. */
  private record Body(
      int status,
      String contentType,
      long contentLength,
      String contentRange,
      List<BodySender.Segment> segments) {}

  private static Body body(ByteRanges plan, String type, long length) {
    List<BodySender.Segment> segments = new ArrayList<>();
    switch (plan.kind()) {
      case SINGLE -> {
        ByteRange r = plan.ranges().get(0);
        segments.add(new BodySender.Slice(r.first(), r.length()));
        return new Body(206, type, r.length(), r.contentRange(length), segments);
      }
      case MULTIPART -> {
        MultipartByteRanges multipart =
            MultipartByteRanges.of(boundary(), type, plan.ranges(), length);
        for (MultipartByteRanges.Part part : multipart.parts()) {
          segments.add(new BodySender.Bytes(ByteBuffer.wrap(part.header())));
          segments.add(new BodySender.Slice(part.range().first(), part.range().length()));
        }
        segments.add(new BodySender.Bytes(ByteBuffer.wrap(multipart.closing())));
        // RFC 9110: a multipart 206 "MUST NOT generate a Content-Range header field in the HTTP
        // header section"; each part carries its own.
        return new Body(206, multipart.contentType(), multipart.contentLength(), null, segments);
      }
      default -> {
        if (length > 0) {
          segments.add(new BodySender.Slice(0, length));
        }
        return new Body(200, type, length, null, segments);
      }
    }
  }

  private static boolean wantsInline(HttpServerExchange exchange) {
    Deque<String> values = exchange.getQueryParameters().get("inline");
    String v = values == null ? null : values.peekFirst();
    return "1".equals(v) || "true".equals(v);
  }

  /** Every field line of a list-valued header joined with commas, or null. */
  private static String joined(HeaderValues values) {
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  private static String boundary() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return "tusk-" + HexFormat.of().formatHex(bytes);
  }
}
