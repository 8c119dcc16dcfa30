package dev.tusk.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One keep-alive HTTP/1.1 client connection over a blocking {@link SocketChannel}: request heads are
 * written as prepared bytes, bodies straight from the {@link Payload}'s direct buffer, and response
 * heads are parsed from a 256 KiB direct read buffer that also carries bodies (so a download is read
 * without copying into the heap). Every request runs under a deadline enforced by the {@link
 * Watchdog}. Not thread-safe: one thread per connection.
 */
final class HttpConnection implements Closeable {
  static final int BUFFER_SIZE = 256 * 1024;
  private static final int SMALL_BODY = 64 * 1024;
  private static final int SNIPPET = 300;

  private final SocketChannel channel;
  private final String host;
  private final ByteBuffer buf;
  private int rpos;
  private int wpos;
  private volatile long deadline;
  private volatile boolean timedOut;
  private boolean closed;

  private HttpConnection(SocketChannel channel, String host, int bufferSize) {
    this.channel = channel;
    this.host = host;
    this.buf = ByteBuffer.allocateDirect(bufferSize);
  }

  /** Connects within {@code timeout}; the deadline then stays until the next {@link #deadline}. */
  static HttpConnection open(InetSocketAddress address, Duration timeout) throws IOException {
    return open(address, timeout, BUFFER_SIZE);
  }

  /**
   * As {@link #open(InetSocketAddress, Duration)} with a read buffer of {@code bufferSize} bytes
   * (small for the thousands of connections that never read a body).
   */
  static HttpConnection open(InetSocketAddress address, Duration timeout, int bufferSize)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    HttpConnection connection =
        new HttpConnection(channel, address.getHostString() + ":" + address.getPort(), bufferSize);
    connection.deadline(timeout);
    Watchdog.watch(connection);
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(address);
    } catch (IOException e) {
      connection.close();
      throw connection.timedOut ? timeout("connect", timeout) : e;
    }
    return connection;
  }

  /** Prepared request head: request line, Host, the given "Name: value" lines, blank line. */
  byte[] requestHead(String method, String target, String... headers) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(host);
    for (String header : headers) {
      sb.append("\r\n").append(header);
    }
    return sb.append("\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Sets the deadline of everything that follows (connect, write, read) to now + timeout. */
  void deadline(Duration timeout) {
    deadline = System.nanoTime() + timeout.toNanos();
    if (deadline == 0) {
      deadline = 1;
    }
  }

  /** Lifts the deadline: the connection may stay idle for as long as the caller wants. */
  void noDeadline() {
    deadline = 0;
  }

  /**
   * Without blocking: -1 if the server closed the connection, 1 if it sent something, 0 if it is
   * still silent. Leaves the connection non-blocking; for connections that are only watched.
   */
  int poll() {
    try {
      channel.configureBlocking(false);
      buf.clear();
      int n = channel.read(buf);
      return n < 0 ? -1 : n > 0 ? 1 : 0;
    } catch (IOException e) {
      return -1;
    }
  }

  boolean expired(long now) {
    long d = deadline;
    return d != 0 && now - d > 0 && !closed;
  }

  void abortOnTimeout() {
    timedOut = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is the point
    }
  }

  /**
   * Sends one request: head, then {@code bodyLength} bytes of the payload stream from {@code
   * bodyOffset} (a small body goes in the same write as the head).
   */
  void send(byte[] head, Payload payload, long bodyOffset, long bodyLength) throws IOException {
    try {
      ByteBuffer headBuf = ByteBuffer.wrap(head);
      if (bodyLength > 0 && bodyLength <= SMALL_BODY) {
        ByteBuffer body = payload.slice(bodyOffset, bodyLength);
        int first = body.remaining();
        writeFully(headBuf, body);
        if (first < bodyLength) {
          writeBody(payload, bodyOffset + first, bodyLength - first);
        }
      } else {
        writeFully(headBuf);
        if (bodyLength > 0) {
          writeBody(payload, bodyOffset, bodyLength);
        }
      }
    } catch (ClosedChannelException e) {
      throw timedOut ? timeout("write", null) : e;
    }
  }

  /** Writes {@code length} payload bytes from {@code offset}: a body, or the rest of one. */
  void writeBody(Payload payload, long offset, long length) throws IOException {
    long done = 0;
    try {
      while (done < length) {
        ByteBuffer chunk = payload.slice(offset + done, length - done);
        int n = chunk.remaining();
        writeFully(chunk);
        done += n;
      }
    } catch (ClosedChannelException e) {
      throw timedOut ? timeout("write", null) : e;
    }
  }

  private void writeFully(ByteBuffer... buffers) throws IOException {
    long left = 0;
    for (ByteBuffer b : buffers) {
      left += b.remaining();
    }
    while (left > 0) {
      long n = channel.write(buffers);
      left -= n;
    }
  }

  /**
   * Reads the next final response head (skipping 1xx). {@code headRequest}: the request was HEAD, so
   * the response has no body whatever its Content-Length says.
   */
  HttpResponse readHead(boolean headRequest) throws IOException {
    try {
      while (true) {
        int end;
        while ((end = findHeadEnd()) < 0) {
          fill();
        }
        byte[] bytes = new byte[end + 4 - rpos];
        buf.limit(end + 4).position(rpos);
        buf.get(bytes);
        rpos = end + 4;
        String head = new String(bytes, StandardCharsets.ISO_8859_1);
        int status = parseStatus(head);
        if (status >= 100 && status < 200) {
          continue;
        }
        boolean bodyless = headRequest || status == 204 || status == 304;
        return new HttpResponse(status, head, bodyless);
      }
    } catch (ClosedChannelException e) {
      throw timedOut ? timeout("response", null) : e;
    }
  }

  /** Reads the body of {@code response} into {@code sink}; returns its length. */
  long readBody(HttpResponse response, BodySink sink) throws IOException {
    try {
      BodySink target = sink;
      StringBuilder snippet = null;
      if (response.status >= 400) {
        StringBuilder sb = new StringBuilder();
        snippet = sb;
        target = chunk -> capture(sb, chunk);
      }
      long n;
      if (response.bodyless) {
        n = 0;
      } else if (response.chunked()) {
        n = readChunked(target);
      } else {
        long length = response.longHeader("Content-Length");
        n = length >= 0 ? readFixed(length, target) : readToEnd(target);
      }
      if (snippet != null) {
        response.bodySnippet(snippet.toString().replaceAll("\\s+", " ").trim());
      }
      if (response.closesConnection()) {
        close();
      }
      return n;
    } catch (ClosedChannelException e) {
      throw timedOut ? timeout("body", null) : e;
    }
  }

  /** Sends a request and reads the whole response, discarding the body. */
  HttpResponse exchange(byte[] head, Payload payload, long bodyOffset, long bodyLength,
      boolean headRequest) throws IOException {
    send(head, payload, bodyOffset, bodyLength);
    HttpResponse response = readHead(headRequest);
    readBody(response, BodySink.DISCARD);
    return response;
  }

  boolean isOpen() {
    return !closed && channel.isOpen();
  }

  /** Closes with a reset (SO_LINGER 0), leaving no TIME_WAIT behind; for mass-closed sockets. */
  void reset() {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException ignored) {
      // already closed
    }
    close();
  }

  @Override
  public void close() {
    closed = true;
    Watchdog.forget(this);
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  private static void capture(StringBuilder sb, ByteBuffer chunk) {
    int n = Math.min(chunk.remaining(), SNIPPET - sb.length());
    for (int i = 0; i < n; i++) {
      sb.append((char) (chunk.get(chunk.position() + i) & 0xff));
    }
  }

  private static int parseStatus(String head) throws IOException {
    // "HTTP/1.1 201 Created" or "HTTP/1.1 201 " (Node leaves the reason phrase out)
    if (head.length() < 12 || !head.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + head.substring(0, Math.min(40, head.length())));
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  private int findHeadEnd() {
    buf.limit(buf.capacity());
    for (int i = rpos; i + 3 < wpos; i++) {
      if (buf.get(i) == '\r' && buf.get(i + 1) == '\n' && buf.get(i + 2) == '\r'
          && buf.get(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void fill() throws IOException {
    if (rpos == wpos) {
      rpos = 0;
      wpos = 0;
    } else if (wpos == buf.capacity()) {
      if (rpos == 0) {
        throw new IOException("response head larger than " + buf.capacity() + " bytes");
      }
      buf.limit(wpos).position(rpos);
      buf.compact();
      wpos -= rpos;
      rpos = 0;
    }
    buf.limit(buf.capacity()).position(wpos);
    int n = channel.read(buf);
    if (n < 0) {
      throw new EOFException("connection closed by the server");
    }
    wpos += n;
  }

  private long readFixed(long length, BodySink sink) throws IOException {
    long left = length;
    while (left > 0) {
      if (rpos == wpos) {
        fill();
      }
      int take = (int) Math.min(left, wpos - rpos);
      sink.accept(buf.duplicate().limit(rpos + take).position(rpos));
      rpos += take;
      left -= take;
    }
    return length;
  }

  private long readToEnd(BodySink sink) throws IOException {
    long total = 0;
    while (true) {
      if (rpos == wpos) {
        rpos = 0;
        wpos = 0;
        buf.limit(buf.capacity()).position(0);
        int n = channel.read(buf);
        if (n < 0) {
          close();
          return total;
        }
        wpos = n;
      }
      int take = wpos - rpos;
      sink.accept(buf.duplicate().limit(wpos).position(rpos));
      rpos = wpos;
      total += take;
    }
  }

  private long readChunked(BodySink sink) throws IOException {
    long total = 0;
    while (true) {
      String line = readLine();
      int semi = line.indexOf(';');
      long size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailer fields
        }
        return total;
      }
      readFixed(size, sink);
      total += size;
      if (!readLine().isEmpty()) {
        throw new IOException("malformed chunked body");
      }
    }
  }

  private String readLine() throws IOException {
    while (true) {
      buf.limit(buf.capacity());
      for (int i = rpos; i + 1 < wpos; i++) {
        if (buf.get(i) == '\r' && buf.get(i + 1) == '\n') {
          byte[] bytes = new byte[i - rpos];
          buf.limit(i).position(rpos);
          buf.get(bytes);
          rpos = i + 2;
          return new String(bytes, StandardCharsets.ISO_8859_1);
        }
      }
      fill();
    }
  }

  private static SocketTimeoutException timeout(String what, Duration timeout) {
    return new SocketTimeoutException(
        what + " timed out" + (timeout == null ? "" : " after " + timeout.toMillis() + " ms"));
  }
}
