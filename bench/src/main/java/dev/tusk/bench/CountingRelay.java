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
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP relay on 127.0.0.1 in front of an HTTP/1.1 server that counts the requests passing through
 * it: the {@code stored} scenario puts it between tusk and S3Proxy to count S3 requests per sweep.
 * Bytes are relayed unchanged both ways (so a SigV4 signature over the {@code Host} header the client
 * sent still verifies); from client to server it reads each request's head and skips its body by
 * {@code Content-Length} or chunked framing to find the next one. Each request is also counted by
 * its S3 {@link #kind} and timed from its head's relay to the first byte of the answer that
 * follows, which is the server's time for it as long as the client does not pipeline (the AWS SDK
 * does not; with {@code Expect: 100-continue} it is the time to the interim answer). One platform
 * thread per direction of each connection: meant for a few dozen connections, not for load.
 */
final class CountingRelay implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, LongAdder[]> byKind = new ConcurrentHashMap<>();
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

  /** What has passed so far per {@link #kind}: requests and the server's time for them. */
  record Tally(long requests, double serverMs) {}

  /** A copy of the counts per kind so far, in kind order. */
  Map<String, Tally> byKind() {
    Map<String, Tally> copy = new TreeMap<>();
    byKind.forEach((kind, t) -> copy.put(kind, new Tally(t[0].sum(), t[1].sum() / 1e6)));
    return copy;
  }

  /** {@code now - before} per kind (kinds only in {@code now} count from zero). */
  static Map<String, Tally> since(Map<String, Tally> before, Map<String, Tally> now) {
    Map<String, Tally> diff = new TreeMap<>();
    now.forEach((kind, t) -> {
      Tally b = before.getOrDefault(kind, new Tally(0, 0));
      if (t.requests() > b.requests()) {
        diff.put(kind, new Tally(t.requests() - b.requests(), t.serverMs() - b.serverMs()));
      }
    });
    return diff;
  }

  /**
   * The S3 operation a request line names (path-style: {@code /bucket} for the bucket, {@code
   * /bucket/key} for an object): LIST, GET, HEAD, PUT, UPLOAD_PART, MPU_CREATE, MPU_COMPLETE,
   * MPU_ABORT, DELETE, DELETE_BATCH, or the method itself for anything else.
   */
  static String kind(String requestLine) {
    String[] parts = requestLine.split(" ");
    if (parts.length < 2) {
      return "OTHER";
    }
    String method = parts[0].toUpperCase(Locale.ROOT);
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Set<String> params = new HashSet<>();
    if (q >= 0) {
      for (String p : target.substring(q + 1).split("&")) {
        int eq = p.indexOf('=');
        params.add(eq < 0 ? p : p.substring(0, eq));
      }
    }
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    int slash = trimmed.indexOf('/');
    boolean object = slash >= 0 && slash < trimmed.length() - 1;
    return switch (method) {
      case "GET" -> object ? "GET" : "LIST";
      case "HEAD" -> "HEAD";
      case "PUT" -> params.contains("partNumber") && params.contains("uploadId") ? "UPLOAD_PART"
          : "PUT";
      case "POST" -> params.contains("uploads") ? "MPU_CREATE"
          : params.contains("uploadId") ? "MPU_COMPLETE"
          : params.contains("delete") ? "DELETE_BATCH" : "POST";
      case "DELETE" -> params.contains("uploadId") ? "MPU_ABORT" : "DELETE";
      default -> method;
    };
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
        Queue<Pending> pending = new ConcurrentLinkedQueue<>();
        daemon(() -> requests(client, server, pending), "relay-up");
        daemon(() -> answers(server, client, pending), "relay-down");
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

  /** A request relayed whose answer has not begun: its kind and when its head went out. */
  private record Pending(String kind, long sentNanos) {}

  /** Client to server: request heads counted, bodies skipped by their framing. */
  private void requests(Socket client, Socket server, Queue<Pending> pending) {
    try (InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
        OutputStream out = server.getOutputStream()) {
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          return;
        }
        requests.incrementAndGet();
        String raw = new String(head, StandardCharsets.ISO_8859_1);
        int eol = raw.indexOf("\r\n");
        pending.add(new Pending(kind(eol < 0 ? raw : raw.substring(0, eol)), System.nanoTime()));
        out.write(head);
        String text = raw.toLowerCase(Locale.ROOT);
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

  /**
   * Server to client: bytes as they come; the first read after a request went out ends that
   * request's server time.
   */
  private void answers(Socket from, Socket to, Queue<Pending> pending) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        Pending p = pending.poll();
        if (p != null) {
          LongAdder[] tally = byKind.computeIfAbsent(p.kind(),
              k -> new LongAdder[] {new LongAdder(), new LongAdder()});
          tally[0].increment();
          tally[1].add(System.nanoTime() - p.sentNanos());
        }
        out.write(buffer, 0, n);
      }
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
