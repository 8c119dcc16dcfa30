package dev.tusk.server.http;

import io.undertow.protocols.http2.Http2Channel;
import io.undertow.protocols.http2.Http2DataStreamSinkChannel;
import io.undertow.protocols.http2.Http2HeadersStreamSinkChannel;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Interim (1xx) responses written ahead of an exchange's final response, such as 104 (Upload
 * Resumption Supported) of Resumable Uploads for HTTP. Undertow's own API sends only 100
 * (Continue), so this class writes them itself, per protocol:
 *
 * <ul>
 *   <li><b>HTTP/1.1</b> (cleartext or TLS): the status line, the header lines and an empty line,
 *       written to the connection's original sink conduit ({@link
 *       HttpServerConnection#getOriginalSinkConduit()}, a public method), beneath the conduit that
 *       will write the final response. Bytes the socket did not take at once are kept and written
 *       before the final response's first byte by a response wrapper, so the two never interleave.
 *       Not sent on a connection that buffers pipelined responses. Undertow writes a {@code 100
 *       Continue} beside this path (on the request's first read); it lands between whole interim
 *       responses unless the socket refused part of one, which needs a send buffer already full
 *       at that early point.
 *   <li><b>HTTP/2</b> (h2 over TLS with ALPN, h2c): one HEADERS frame
 *       with {@code :status} and without END_STREAM on the request's stream, queued on the
 *       connection's {@link Http2Channel} through a new {@link Http2HeadersStreamSinkChannel} that is
 *       flushed once and never shut down. This is how Undertow's {@code Http2ServerConnection} sends
 *       100, except that Undertow shuts that channel down, which sets END_STREAM on any status but
 *       100 ({@code Http2DataStreamSinkChannel.isContinueStatus}); a flush without shutdown sends the
 *       HEADERS frame alone, and the channel then holds no buffer. It must not be closed: closing an
 *       unfinished stream sink resets the stream.
 * </ul>
 *
 * <p><b>The one reach into Undertow's internals</b>: the HTTP/2 stream's response channel is the
 * private field {@code Http2ServerConnection.responseChannel}, read once by a {@link VarHandle}
 * (there is no public accessor; from it, {@code getChannel()} and {@code getStreamId()} are
 * public). If a later Undertow renames or retypes the field, HTTP/2 interim responses are not sent
 * ({@link #send} answers false) and {@code InterimResponsesTest} fails; HTTP/1.1 is unaffected.
 *
 * <p><b>Ordering and threads.</b> {@link #send} may be called from any thread that may touch the
 * exchange (its handler, a dispatched task); the write itself runs on the exchange's I/O thread.
 * The first call registers a response wrapper, invoked by Undertow where the final response's
 * conduit is created (before any of its bytes, on the thread that starts it): it puts whatever is
 * still queued ahead of the final response, and from then on nothing more is sent. The wrapper
 * and the writes synchronise on one per-exchange lock ({@link InterimState}). An exchange that
 * never calls this class pays nothing.
 *
 * <p><b>Header values</b> are reduced to printable ASCII (0x20–0x7E; CR, LF and anything else
 * dropped); names must be tokens; {@code Connection}-specific fields are not sent on HTTP/2.
 */
public final class InterimResponses {
  private static final AttachmentKey<InterimState> STATE =
      AttachmentKey.create(InterimState.class);

  /** {@code Http2ServerConnection.responseChannel}; null if this Undertow has no such field. */
  private static final VarHandle H2_RESPONSE_CHANNEL = h2ResponseChannel();

  /** Fields that HTTP/2 forbids (RFC 9113 §8.2.2). */
  private static final Set<String> CONNECTION_SPECIFIC =
      Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

  /** The shortest progress interval {@link #every} uses. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  private InterimResponses() {}

  /**
   * Writes a 1xx interim response with these headers ahead of the final response (HTTP/1.1, h2,
   * h2c). Returns false, sending nothing, when the exchange cannot carry one (HTTP/1.0, response
   * started). True means it is queued: the exchange's I/O thread writes it, and if the final
   * response starts first (on any thread), it goes out ahead of that response's first byte.
   *
   * @param status 100–199, not 101
   * @param headers copied at once; the caller may reuse the map
   * @throws IllegalArgumentException for another status or a header name that is not a token
   */
  public static boolean send(HttpServerExchange exchange, int status, HeaderMap headers) {
    if (status < 100 || status > 199 || status == 101) {
      throw new IllegalArgumentException("not an interim status: " + status);
    }
    List<String[]> fields = fields(headers);
    InterimState state = state(exchange);
    return state != null && state.send(status, fields, false);
  }

  /**
   * Until closed (or the final response starts), sends {@code status} with headers from the
   * supplier every interval, the first one interval from now. The supplier runs on the exchange's
   * I/O thread and must not block; a null from it skips that turn. Returns a handle that does
   * nothing when the exchange cannot carry interim responses. Closing is idempotent and may happen
   * on any thread; the exchange's completion closes it too.
   *
   * @param interval zero or negative sends nothing; below {@link #MIN_INTERVAL} counts as that
   */
  public static AutoCloseable every(
      HttpServerExchange exchange, int status, Duration interval, Supplier<HeaderMap> headers) {
    if (status < 100 || status > 199 || status == 101) {
      throw new IllegalArgumentException("not an interim status: " + status);
    }
    if (interval.isZero() || interval.isNegative()) {
      return () -> {};
    }
    InterimState state = state(exchange);
    if (state == null) {
      return () -> {};
    }
    InterimState.Ticker ticker =
        state.new Ticker(status, Math.max(interval.toNanos(), MIN_INTERVAL.toNanos()), () -> {
          HeaderMap map = headers.get();
          return map == null ? null : fields(map);
        });
    exchange.addExchangeCompleteListener(
        (ex, next) -> {
          ticker.close();
          next.proceed();
        });
    ticker.schedule();
    return ticker;
  }

  /** The exchange's state, created (and the wrapper registered) on first use; null if unusable. */
  private static InterimState state(HttpServerExchange exchange) {
    InterimState state = exchange.getAttachment(STATE);
    if (state != null) {
      return state.ended() ? null : state;
    }
    if (exchange.isResponseStarted() || !exchange.isResponseChannelAvailable()) {
      return null;
    }
    Transport transport = transport(exchange);
    if (transport == null) {
      return null;
    }
    InterimState created = new InterimState(exchange, transport == Transport.HTTP_2);
    exchange.putAttachment(STATE, created);
    exchange.addResponseWrapper((factory, ex) -> created.finalResponse(factory.create()));
    return created;
  }

  private static Transport transport(HttpServerExchange exchange) {
    ServerConnection connection = exchange.getConnection();
    if (connection instanceof HttpServerConnection h1) {
      boolean http11 = Protocols.HTTP_1_1.equals(exchange.getProtocol());
      return http11 && h1.getPipelineBuffer() == null ? Transport.HTTP_1_1 : null;
    }
    if (connection instanceof Http2ServerConnection && H2_RESPONSE_CHANNEL != null) {
      return Transport.HTTP_2;
    }
    return null;
  }

  static List<String[]> fields(HeaderMap headers) {
    List<String[]> fields = new ArrayList<>(headers.size());
    for (HeaderValues values : headers) {
      String name = values.getHeaderName().toString();
      for (int i = 0; i < name.length(); i++) {
        if (!isTokenChar(name.charAt(i))) {
          throw new IllegalArgumentException("header name is not a token: " + printable(name));
        }
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty header name");
      }
      for (String value : values) {
        fields.add(new String[] {name, printable(value)});
      }
    }
    return fields;
  }

  /** {@code value} with every character outside printable ASCII (0x20–0x7E) removed. */
  static String printable(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = c >= 0x20 && c <= 0x7E;
      if (!ok && out == null) {
        out = new StringBuilder(value.length()).append(value, 0, i);
      } else if (ok && out != null) {
        out.append(c);
      }
    }
    return out == null ? value.strip() : out.toString().strip();
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 102 -> "Processing";
      case 103 -> "Early Hints";
      case 104 -> "Upload Resumption Supported";
      default -> "Informational";
    };
  }

  private static VarHandle h2ResponseChannel() {
    try {
      return MethodHandles.privateLookupIn(Http2ServerConnection.class, MethodHandles.lookup())
          .findVarHandle(
              Http2ServerConnection.class, "responseChannel", Http2DataStreamSinkChannel.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private enum Transport {
    HTTP_1_1,
    HTTP_2
  }

  /**
   * Queues one HEADERS frame with {@code :status} and these fields, without END_STREAM, on the
   * exchange's HTTP/2 stream. Safe from any thread: the connection writes frames in queue order,
   * and encodes their headers (HPACK) in that order on its I/O thread.
   */
  static void writeHttp2(HttpServerExchange exchange, int status, List<String[]> fields)
      throws IOException {
    Http2DataStreamSinkChannel response =
        (Http2DataStreamSinkChannel) H2_RESPONSE_CHANNEL.get(exchange.getConnection());
    if (response == null || !response.isOpen() || response.isWritesShutdown()) {
      return;
    }
    HeaderMap frame = new HeaderMap();
    frame.put(Http2Channel.STATUS, status);
    for (String[] field : fields) {
      String name = field[0].toLowerCase(Locale.ROOT);
      if (!CONNECTION_SPECIFIC.contains(name)) {
        frame.add(new HttpString(name), field[1]);
      }
    }
    new Http2HeadersStreamSinkChannel(response.getChannel(), response.getStreamId(), frame).flush();
  }

  /** The conduit beneath Undertow's HTTP/1.1 response conduits: the socket (through TLS, if any). */
  static StreamSinkConduit socket(HttpServerExchange exchange) {
    return ((HttpServerConnection) exchange.getConnection()).getOriginalSinkConduit();
  }
}
