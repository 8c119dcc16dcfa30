package dev.tusk.server.http;

import io.undertow.UndertowMessages;
import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import org.xnio.IoUtils;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;

/**
 * Undertow's chunked decoding of an HTTP/1.1 request body, with one difference: when the framing
 * is malformed (an unparsable trailer section, a trailer field name that is not ASCII, a chunk
 * size beyond any length) Undertow's own decoder closes the connection at once, so the client
 * never learns why. This one ends the body with {@link MalformedBodyException}, marks the
 * connection to close after the response and leaves it open for that response (a 400). A body
 * cut short by the network, or a read timeout, still closes the connection as before.
 *
 * <p>Bytes read past the end of the body (a pipelined next request) go back to the connection.
 * Thread-safety: like the channel it decodes, used by one thread at a time.
 */
final class ChunkedRequestConduit extends ChunkedStreamSourceConduit {
  /** The messages of the exceptions Undertow's chunk reader throws for malformed framing. */
  private static final Set<String> FRAMING_ERRORS =
      Set.of(
          UndertowMessages.MESSAGES.couldNotDecodeTrailers().getMessage(),
          UndertowMessages.MESSAGES.chunkSizeTooLarge().getMessage());

  private final HttpServerExchange exchange;
  private final PushBackStreamSourceConduit source;
  private MalformedBodyException failure;
  private long received;

  private ChunkedRequestConduit(
      PushBackStreamSourceConduit source, HttpServerExchange exchange) {
    super(
        source,
        source,
        exchange.getConnection().getByteBufferPool(),
        finished -> ((ChunkedRequestConduit) finished).ended(),
        exchange,
        () -> {}); // errors are handled in read(), not by closing the connection
    this.exchange = exchange;
    this.source = source;
  }

  /**
   * Replaces Undertow's chunked decoder of {@code exchange}'s body with this one; a no-op for a
   * body that is not chunked or a connection that is not HTTP/1.1. Call before the body is read.
   */
  static void install(HttpServerExchange exchange) {
    if (!(exchange.getConnection() instanceof HttpServerConnection connection)) {
      return;
    }
    ConduitStreamSourceChannel channel = connection.getChannel().getSourceChannel();
    if (!(channel.getConduit() instanceof ChunkedStreamSourceConduit)
        || channel.getConduit() instanceof ChunkedRequestConduit) {
      return;
    }
    PushBackStreamSourceConduit source =
        new PushBackStreamSourceConduit(
            new ReadDataStreamSourceConduit(connection.getOriginalSourceConduit(), connection));
    channel.setConduit(new ChunkedRequestConduit(source, exchange));
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (failure != null) {
      throw failure;
    }
    int n;
    try {
      n = super.read(dst);
    } catch (ClosedChannelException e) {
      IoUtils.safeClose(exchange.getConnection()); // the client went away mid-body
      throw e;
    } catch (IOException e) {
      if (!FRAMING_ERRORS.contains(e.getMessage())) {
        IoUtils.safeClose(exchange.getConnection()); // a network failure or a read timeout
        throw e;
      }
      throw fail(e.getMessage(), e);
    } catch (RuntimeException e) { // Undertow's trailer parser on a field name that is not ASCII
      throw fail("an invalid trailer field", e);
    }
    if (n > 0) {
      enforceMaxEntitySize(n);
    }
    return n;
  }

  /**
   * {@link HttpServerExchange#setMaxEntitySize} as Undertow's decoder enforces it (which it cannot
   * here, built without the exchange): beyond it the body ends with {@link
   * MalformedBodyException} and the connection stays open for the answer (Undertow closed it).
   */
  private void enforceMaxEntitySize(int n) throws IOException {
    received += n;
    long max = exchange.getMaxEntitySize();
    if (max > 0 && received > max) {
      exchange.setPersistent(false);
      Connectors.terminateRequest(exchange);
      failure = new MalformedBodyException("longer than " + max + " bytes",
          UndertowMessages.MESSAGES.requestEntityWasTooLarge(max));
      throw failure;
    }
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      if (dsts[i].hasRemaining()) {
        return read(dsts[i]);
      }
    }
    return 0;
  }

  /** Undertow's version needs the exchange it was not given; an unfinished body ends the connection. */
  @Override
  public void terminateReads() throws IOException {
    if (!isFinished()) {
      exchange.setPersistent(false);
    }
    source.terminateReads();
  }

  /**
   * Ends the request where it broke: the connection closes after the response, and the rest of
   * the body is neither drained nor parsed as another request.
   */
  private MalformedBodyException fail(String what, Throwable cause) {
    failure = new MalformedBodyException(what.replaceAll("^UT\\d+: ", ""), cause);
    exchange.setPersistent(false);
    Connectors.terminateRequest(exchange);
    return failure;
  }

  /** The last chunk and the trailers were read: what came after them belongs to the connection. */
  private void ended() {
    PooledByteBuffer rest = exchange.getConnection().getByteBufferPool().allocate();
    boolean kept = false;
    try {
      if (source.read(rest.getBuffer()) > 0) {
        rest.getBuffer().flip();
        Connectors.ungetRequestBytes(exchange, rest);
        kept = true;
      }
    } catch (IOException e) {
      exchange.setPersistent(false);
    } finally {
      if (!kept) {
        rest.close();
      }
    }
    Connectors.terminateRequest(exchange);
  }
}
