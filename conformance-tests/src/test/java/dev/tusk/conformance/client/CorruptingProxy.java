package dev.tusk.conformance.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a server that flips one byte of the body of the first
 * {@code budget} PATCH requests it forwards, as a bad network path would: the client's checksum
 * then no longer matches what the server receives. Everything else passes unchanged, both ways.
 *
 * <p>It finds a PATCH's body by its request line and the blank line after its headers, which
 * suits any HTTP/1.1 client (headers, then body, in order on one connection). Closing it stops
 * accepting; open connections end with their peers.
 */
final class CorruptingProxy implements AutoCloseable {
  private static final byte[] PATCH = "PATCH ".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket listener;
  private final int target;
  private final AtomicInteger budget;
  private final AtomicInteger corrupted = new AtomicInteger();

  CorruptingProxy(int targetPort, int budget) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = targetPort;
    this.budget = new AtomicInteger(budget);
    Thread acceptor = new Thread(this::accept, "corrupting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** How many PATCH bodies had a byte flipped. */
  int corrupted() {
    return corrupted.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        pump("proxy-up", client, server, true);
        pump("proxy-down", server, client, false);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(String name, Socket from, Socket to, boolean upstream) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                RequestScanner scanner = upstream ? new RequestScanner() : null;
                byte[] buffer = new byte[16 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  if (scanner != null) {
                    scanner.scan(buffer, n);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException gone) {
                // one side went away: the other is closed below
              } finally {
                close(from);
                close(to);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Watches a connection's request bytes: after {@code "PATCH "} (a request line; binary bodies
   * hold those six bytes by chance about once in 2^48 positions) and the blank line ending that
   * request's headers, the next byte is the body's first, and is flipped while the budget lasts.
   */
  private final class RequestScanner {
    private int matchedPatch; // bytes of "PATCH " matched
    private boolean inPatchHeaders;
    private int blankLine; // bytes of CRLFCRLF matched
    private boolean flipNext;

    void scan(byte[] bytes, int length) {
      for (int i = 0; i < length; i++) {
        byte b = bytes[i];
        if (flipNext) {
          flipNext = false;
          if (budget.getAndDecrement() > 0) {
            bytes[i] ^= 0x01;
            corrupted.incrementAndGet();
          }
        } else if (inPatchHeaders) {
          blankLine = b == (blankLine % 2 == 0 ? '\r' : '\n') ? blankLine + 1 : (b == '\r' ? 1 : 0);
          if (blankLine == 4) {
            inPatchHeaders = false;
            blankLine = 0;
            flipNext = true;
          }
        } else {
          matchedPatch = b == PATCH[matchedPatch] ? matchedPatch + 1 : (b == PATCH[0] ? 1 : 0);
          if (matchedPatch == PATCH.length) {
            inPatchHeaders = true;
            matchedPatch = 0;
          }
        }
      }
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
