package dev.tusk.conformance.fuzz;

import dev.tusk.conformance.RawHttp;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection ({@link RawHttp}) that sends whatever bytes it is given and reads back at
 * most one response, telling apart a response, a close without one, and silence. Every read is
 * bounded by the socket timeout.
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

  private final RawHttp connection;

  Wire(int port, int timeoutMillis) throws IOException {
    connection = RawHttp.connect(port, timeoutMillis);
  }

  /**
   * Sends {@code request} (half-closing the connection afterwards when {@code thenHalfClose}) and
   * reads one response, skipping interim 1xx ones.
   */
  Outcome exchange(byte[] request, boolean headRequest, boolean thenHalfClose) {
    try {
      connection.send(request);
      if (thenHalfClose) {
        connection.shutdownOutput();
      }
    } catch (IOException e) {
      // the server may close before it read everything; the response may still be there
    }
    try {
      while (true) {
        RawHttp.Reply reply = connection.read(headRequest);
        if (reply.status() >= 200 || reply.status() < 100) {
          return new Reply(reply.status(), reply.headers(), reply.body());
        }
      }
    } catch (SocketTimeoutException e) {
      return new Silent();
    } catch (IOException | RuntimeException e) {
      return new Closed(e.toString());
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
