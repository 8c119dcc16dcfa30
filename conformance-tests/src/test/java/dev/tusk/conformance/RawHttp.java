package dev.tusk.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for what REST Assured cannot do: stall mid-body, send trailers,
 * watch for {@code 100 Continue} before sending a body, send bytes that are not HTTP at all. Every
 * read is bounded by a timeout. Responses are read strictly: a body cut short, a header line
 * without a colon or an unframed body on a kept connection is an {@link IOException}.
 */
public final class RawHttp implements AutoCloseable {
  /** A parsed response; header names are lower-case. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(int port) throws IOException {
    return connect(port, 10_000);
  }

  /** A connection to 127.0.0.1:{@code port} whose every read waits at most {@code timeoutMillis}. */
  public static RawHttp connect(int port, int timeoutMillis) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(timeoutMillis);
    s.setTcpNoDelay(true);
    return new RawHttp(s);
  }

  static RawHttp connect(TuskFixture tusk) throws IOException {
    return connect(tusk.server().port());
  }

  /** Writes a request line and headers (each {@code "Name: value"}) and the blank line. */
  RawHttp head(String requestLine, String... headers) throws IOException {
    StringBuilder sb = new StringBuilder(requestLine).append("\r\n").append("Host: 127.0.0.1\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    sb.append("\r\n");
    return send(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  RawHttp send(byte[] bytes, int from, int to) throws IOException {
    out.write(bytes, from, to - from);
    out.flush();
    return this;
  }

  /** Writes one chunk of a chunked body. */
  RawHttp chunk(byte[] bytes, int from, int to) throws IOException {
    out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes, from, to - from);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Ends a chunked body with the given trailer fields ({@code "Name: value"}). */
  RawHttp lastChunk(String... trailers) throws IOException {
    StringBuilder sb = new StringBuilder("0\r\n");
    for (String t : trailers) {
      sb.append(t).append("\r\n");
    }
    sb.append("\r\n");
    return send(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Reads the next response, interim ({@code 1xx}) ones included. The body is read by {@code
   * Content-Length} or chunked encoding; none for 1xx, 204, 304 and {@code headOnly}.
   */
  public Reply read(boolean headOnly) throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new IOException("not a header line: " + h);
      }
      headers.merge(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          h.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    byte[] body = new byte[0];
    if (status >= 200 && status != 204 && status != 304 && !headOnly) {
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = chunkedBody();
      } else if (headers.containsKey("content-length")) {
        int length = Integer.parseInt(headers.get("content-length"));
        body = in.readNBytes(length);
        if (body.length < length) {
          throw new EOFException("body cut after " + body.length + " of " + length + " bytes");
        }
      } else if (!"close".equalsIgnoreCase(headers.get("connection"))) {
        throw new IOException("a response body without framing on a kept connection");
      } else {
        body = in.readAllBytes();
      }
    }
    return new Reply(status, headers, body);
  }

  Reply read() throws IOException {
    return read(false);
  }

  /** The next response, or empty if the connection was closed or reset before one arrived. */
  Optional<Reply> readOrClosed() {
    try {
      return Optional.of(read());
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no response and no close within the socket timeout", e);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers of the response are not needed
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      line();
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(
            "connection closed after: " + buf.toString(StandardCharsets.ISO_8859_1));
      }
      if (b == '\n') {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      buf.write(b);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to release
    }
  }
}
