package dev.tusk.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of an HTTP/1.1 server that counts the requests passing through
 * it: the {@code stored} scenario puts it between tusk and S3Proxy to count S3 requests per sweep.
 * Bytes are relayed unchanged both ways (so a SigV4 signature over the {@code Host} header the client
 * sent still verifies); from client to server it reads each request's head and skips its body by
 * {@code Content-Length} or chunked framing to find the next one. One platform thread per
 * direction of each connection: meant for a few dozen connections, not for load.
 */
final class CountingRelay implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final AtomicLong requests = new AtomicLong();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private CountingRelay(ServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
    this.acceptor = new Thread(this::accept, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on a free port of 127.0.0.1 and relays every connection to {@code upstream}. */
  static CountingRelay start(InetSocketAddress upstream) throws IOException {
    return new CountingRelay(new ServerSocket(0, 128, InetAddress.getLoopbackAddress()), upstream);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Requests whose head has passed through so far. */
  long requests() {
    return requests.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      try {
        Socket server = new Socket(upstream.getAddress(), upstream.getPort());
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        open.add(client);
        open.add(server);
        daemon(() -> requests(client, server), "relay-up");
        daemon(() -> copy(server, client), "relay-down");
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private static void daemon(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  /** Client to server: request heads counted, bodies skipped by their framing. */
  private void requests(Socket client, Socket server) {
    try (InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
        OutputStream out = server.getOutputStream()) {
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        requests.incrementAndGet();
        out.write(head);
        String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (text.contains("\r\ntransfer-encoding:") && text.contains("chunked")) {
          relayChunked(in, out);
        } else {
          relay(in, out, contentLength(text));
        }
        out.flush();
      }
    } catch (IOException e) {
      // connection closed by either side
    } finally {
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private static long contentLength(String head) {
    int at = head.indexOf("\r\ncontent-length:");
    if (at < 0) {
      return 0;
    }
    int end = head.indexOf("\r\n", at + 2);
    return Long.parseLong(head.substring(at + "\r\ncontent-length:".length(), end).trim());
  }

  /** The bytes up to and including the blank line, or null at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
      if (head.size() > MAX_HEAD) {
        throw new IOException("request head over " + MAX_HEAD + " bytes");
      }
    }
    return head.toByteArray();
  }

  private static void relay(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("body cut short");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void relayChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String line = readLine(in, out);
      int semicolon = line.indexOf(';');
      long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!readLine(in, out).isEmpty()) {
          // trailers
        }
        return;
      }
      relay(in, out, size);
      readLine(in, out);
    }
  }

  /** Reads and relays one CRLF-terminated line; returns it without the CRLF. */
  private static String readLine(InputStream in, OutputStream out) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("chunked body cut short");
      }
      out.write(b);
      if (b == '\n') {
        int len = line.length();
        return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1)
            : line.toString();
      }
      line.append((char) b);
    }
  }

  /** Server to client: bytes as they come. */
  private void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // connection closed by either side
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
