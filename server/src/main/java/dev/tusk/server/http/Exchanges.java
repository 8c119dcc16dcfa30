package dev.tusk.server.http;

import dev.tusk.core.UploadId;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Small helpers over {@link HttpServerExchange} shared by the handlers. */
public final class Exchanges {
  private static final AttachmentKey<String> TRACE_ID = AttachmentKey.create(String.class);
  private static final AttachmentKey<UploadId> UPLOAD_ID = AttachmentKey.create(UploadId.class);
  /** Ends the exchange with {@link #end} once a {@link Sender} has written the whole body. */
  private static final IoCallback END =
      new IoCallback() {
        @Override
        public void onComplete(HttpServerExchange exchange, Sender sender) {
          end(exchange);
        }

        @Override
        public void onException(HttpServerExchange exchange, Sender sender, IOException e) {
          IoCallback.END_EXCHANGE.onException(exchange, sender, e);
        }
      };

  private Exchanges() {}

  /** The id of the upload the request is about; set by the router, null before it. */
  public static UploadId uploadId(HttpServerExchange exchange) {
    return exchange.getAttachment(UPLOAD_ID);
  }

  /** Records the id of the upload the request is about (the router does, once per request). */
  public static void setUploadId(HttpServerExchange exchange, UploadId id) {
    exchange.putAttachment(UPLOAD_ID, id);
  }

  /**
   * The request's trace id (16 hex digits): created on first use, echoed in error bodies and logs.
   *
   * <p>Not a secret and never read from a request, so it comes from {@link ThreadLocalRandom}, not
   * a {@code SecureRandom}: the JDK's default {@code SecureRandom} (NativePRNG) takes a global lock,
   * reads {@code /dev/urandom} and mixes in SHA-1 on every call, 169 of 8,656 I/O-thread samples in
   * the {@code head} benchmark. Upload ids, which are secrets, still come from a CSPRNG ({@link
   * dev.tusk.core.UploadId#random}).
   */
  public static String traceId(HttpServerExchange exchange) {
    String id = exchange.getAttachment(TRACE_ID);
    if (id == null) {
      id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
      exchange.putAttachment(TRACE_ID, id);
    }
    return id;
  }

  /** The first value of a request header, trimmed, or null. */
  public static String header(HttpServerExchange exchange, HttpString name) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null ? null : value.trim();
  }

  /**
   * Ends the exchange on its connection's I/O thread: at once when called there, else by handing
   * {@code endExchange} to that thread (after the current dispatched task returns, when called
   * from one).
   *
   * <p>Why not end it on the storage thread that produced the response: Undertow then re-arms the
   * connection for its next request from that thread, holding a per-connection state flag that the
   * I/O thread, woken by the client's next request, spins on. On 2 cores the ending thread is
   * often descheduled inside that window, and the I/O thread burned its time slice spinning: in the
   * {@code download} benchmark (4 keep-alive connections, 64 KiB ranges) 548 of 724 I/O-thread
   * samples were that spin, and ranges ran at a ninth of the ceiling's rate.
   */
  public static void end(HttpServerExchange exchange) {
    if (exchange.isInIoThread()) {
      exchange.endExchange();
    } else {
      // inside a dispatched task this schedules the hop for when the task returns (Undertow would
      // otherwise end the exchange itself on this thread); outside one it runs the hop now
      exchange.dispatch(exchange.getIoThread(), exchange::endExchange);
    }
  }

  /**
   * Sends {@code body} as the whole response body and then ends the exchange with {@link #end},
   * so that responses with a body, like those without, end on the I/O thread.
   */
  public static void send(HttpServerExchange exchange, ByteBuffer body) {
    exchange.getResponseSender().send(body, END);
  }

  /** True if the request announces a body (a positive Content-Length or chunked encoding). */
  public static boolean hasBody(HttpServerExchange exchange) {
    long length = exchange.getRequestContentLength();
    if (length > 0) {
      return true;
    }
    return length < 0
        && exchange.getRequestHeaders().contains(io.undertow.util.Headers.TRANSFER_ENCODING);
  }
}
