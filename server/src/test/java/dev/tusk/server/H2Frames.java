package dev.tusk.server;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A minimal HTTP/2 client over a socket for tests that must see what ordinary clients hide:
 * interim (1xx) HEADERS frames and their END_STREAM flag. It writes frames by hand (the preface,
 * SETTINGS, HEADERS, DATA) with Netty's HPACK encoder, and reads the server's frames with Netty's
 * frame reader and HPACK decoder.
 */
public final class H2Frames implements AutoCloseable {
  /** A HEADERS or DATA frame the server sent on a request stream. */
  public record Frame(int stream, Http2Headers headers, byte[] data, boolean endStream) {
    public boolean isHeaders() {
      return headers != null;
    }

    public String status() {
      return headers == null ? null : String.valueOf(headers.status());
    }

    public String header(String name) {
      CharSequence v = headers == null ? null : headers.get(name);
      return v == null ? null : v.toString();
    }
  }

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(US_ASCII);
  private static final int DATA = 0, HEADERS = 1, SETTINGS = 4;
  private static final int END_STREAM = 1, ACK = 1, END_HEADERS = 4;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(true);
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final ByteBuf received = Unpooled.buffer();
  private final List<Frame> frames = new ArrayList<>();
  private int settingsAcksToSend;

  /** A context for Netty's reader, which allocates from it; no channel I/O happens through it. */
  private final EmbeddedChannel embedded = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

  /** Sends the connection preface and an empty SETTINGS frame (h2, or h2c after an upgrade). */
  public H2Frames(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    out.write(PREFACE);
    frame(SETTINGS, 0, 0, new byte[0]);
  }

  /**
   * Upgrades a cleartext HTTP/1.1 connection to HTTP/2 (RFC 7540 §3.2) with a request that has no
   * body; the server answers it as stream 1.
   */
  public static H2Frames upgrade(Socket socket, String method, String path) throws IOException {
    String request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n";
    socket.getOutputStream().write(request.getBytes(US_ASCII));
    StringBuilder head = new StringBuilder();
    InputStream in = socket.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101 ")) {
      throw new IOException("not upgraded: " + head);
    }
    return new H2Frames(socket);
  }

  /** Sends a request's HEADERS frame on {@code stream}, ending the stream when {@code endStream}. */
  public void headers(int stream, String method, String path, Map<String, String> fields, boolean endStream)
      throws Exception {
    Http2Headers headers =
        new DefaultHttp2Headers().method(method).path(path).scheme(socket instanceof javax.net.ssl.SSLSocket ? "https" : "http").authority("localhost");
    fields.forEach((k, v) -> headers.add(k.toLowerCase(java.util.Locale.ROOT), v));
    ByteBuf block = Unpooled.buffer();
    encoder.encodeHeaders(stream, headers, block);
    byte[] bytes = new byte[block.readableBytes()];
    block.readBytes(bytes);
    frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, bytes);
  }

  /** Sends a DATA frame on {@code stream}. */
  public void data(int stream, byte[] bytes, boolean endStream) throws IOException {
    frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] head = {
      (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
      (byte) type, (byte) flags,
      (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream
    };
    out.write(head);
    out.write(payload);
    out.flush();
  }

  /**
   * Reads until {@code stream} has ended or {@code count} HEADERS/DATA frames were seen on it, and
   * returns every HEADERS and DATA frame read on it so far (all streams' frames stay recorded).
   */
  public List<Frame> readUntil(int stream, int count) throws Exception {
    while (!ended(stream) && on(stream).size() < count) {
      readSome();
    }
    return on(stream);
  }

  /** Reads whatever arrives within the socket's timeout; false if nothing came. */
  public boolean readSome() throws Exception {
    byte[] chunk = new byte[16 * 1024];
    int n;
    try {
      n = in.read(chunk);
    } catch (SocketTimeoutException e) {
      return false;
    }
    if (n < 0) {
      throw new IOException("connection closed; frames so far: " + frames);
    }
    received.writeBytes(chunk, 0, n);
    reader.readFrame(embedded.pipeline().firstContext(), received, new Listener());
    received.discardReadBytes();
    while (settingsAcksToSend > 0) {
      settingsAcksToSend--;
      frame(SETTINGS, ACK, 0, new byte[0]);
    }
    return true;
  }

  public void timeout(java.time.Duration d) throws IOException {
    socket.setSoTimeout((int) d.toMillis());
  }

  public List<Frame> on(int stream) {
    return frames.stream().filter(f -> f.stream() == stream).toList();
  }

  private boolean ended(int stream) {
    return on(stream).stream().anyMatch(Frame::endStream);
  }

  @Override
  public void close() throws IOException {
    received.release();
    embedded.finishAndReleaseAll();
    socket.close();
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      byte[] bytes = new byte[data.readableBytes()];
      data.readBytes(bytes);
      frames.add(new Frame(streamId, null, bytes, endOfStream));
      return bytes.length + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) {
      frames.add(new Frame(streamId, headers, null, endOfStream));
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, io.netty.handler.codec.http2.Http2Settings s) {
      settingsAcksToSend++;
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData)
        throws Http2Exception {
      throw Http2Exception.connectionError(io.netty.handler.codec.http2.Http2Error.valueOf(errorCode),
          "server went away: %s", debugData.toString(US_ASCII));
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode)
        throws Http2Exception {
      throw Http2Exception.streamError(streamId, io.netty.handler.codec.http2.Http2Error.valueOf(errorCode),
          "server reset stream %d", streamId);
    }
  }
}
