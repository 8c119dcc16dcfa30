package dev.tusk.conformance.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket that sends whatever bytes it is given and reads
 * back at most one response, telling apart a response, a close without one, and silence. Every
 * read is bounded by the socket timeout.
 */
final class Wire implements AutoCloseable {
  /** What came back for one request. */
  sealed interface Outcome permits Reply, Closed, Silent {}

  /** A response; header names are lower-case. */
  record Reply(int status, Map<String, String> headers, byte[] body) implements Outcome {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    boolean keepsConnection() {
      return !"close".equalsIgnoreCase(header("connection"));
    }
  }

  /** The connection was closed or reset before a whole response arrived. */
  record Closed(String how) implements Outcome {}

  /** Nothing within the socket timeout. */
  record Silent() implements Outcome {}

  private final Socket socket;
  private final InputStream in;

  Wire(int port, int timeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(timeoutMillis);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
  }

  /**
   * Sends {@code request} (half-closing the connection afterwards when {@code thenHalfClose}) and
   * reads one response, skipping interim 1xx ones.
   */
  Outcome exchange(byte[] request, boolean headRequest, boolean thenHalfClose) {
    try {
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      if (thenHalfClose) {
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // the server may close before it read everything; the response may still be there
    }
    try {
      while (true) {
        Reply reply = read(headRequest);
        if (reply.status() >= 200 || reply.status() < 100) {
          return reply;
        }
      }
    } catch (SocketTimeoutException e) {
      return new Silent();
    } catch (IOException | RuntimeException e) {
      return new Closed(e.toString());
    }
  }

  private Reply read(boolean headRequest) throws IOException {
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new IOException("not a header line: " + h);
      }
      headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          h.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
    }
    byte[] body = new byte[0];
    if (status >= 200 && status != 204 && status != 304 && !headRequest) {
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = chunked();
      } else if (headers.containsKey("content-length")) {
        int length = Integer.parseInt(headers.get("content-length"));
        body = in.readNBytes(length);
        if (body.length < length) {
          throw new IOException("body cut after " + body.length + " of " + length + " bytes");
        }
      } else if (!"close".equalsIgnoreCase(headers.get("connection"))) {
        throw new IOException("a response body without framing on a kept connection");
      } else {
        body = in.readAllBytes();
      }
    }
    return new Reply(status, headers, body);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        while (!line().isEmpty()) {
          // response trailers are not needed
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line();
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after: " + buf.toString(StandardCharsets.ISO_8859_1));
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
