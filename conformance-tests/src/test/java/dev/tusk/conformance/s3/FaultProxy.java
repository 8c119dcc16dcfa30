package dev.tusk.conformance.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy between the S3 client and the S3 server that injects faults per request: an
 * S3 error answer (500 InternalError, 503 SlowDown), a delay before the request goes on (or half
 * of it), a connection reset, or a reset after S3 carried the request out (a lost answer). Each request gets its own upstream connection ({@code Connection: close}), so
 * a request is the unit of a fault. Which fault a request gets is the {@link Plan}'s choice, set
 * and changed while it runs. Listens on 127.0.0.1 only. Thread-safe.
 */
final class FaultProxy implements AutoCloseable {
  /** What happens to one request. */
  enum Fault {
    NONE,
    ERROR_500,
    ERROR_503,
    DELAY,
    RESET,
    /** Half the delay: an answer slow but within the store timeout. */
    SLOW,
    /** The request reaches S3, which acts on it; its answer is dropped and the connection reset. */
    LOST_ANSWER
  }

  /** Chooses the fault of a request from its method and path (with query). */
  interface Plan {
    Fault choose(String method, String path);
  }

  private final InetSocketAddress upstream;
  private final Duration delay;
  private final ServerSocket server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
          });
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private volatile Plan plan = (method, path) -> Fault.NONE;

  /** Starts a proxy to {@code upstream} whose {@link Fault#DELAY} waits {@code delay}. */
  FaultProxy(URI upstream, Duration delay) throws IOException {
    this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
    this.delay = delay;
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  void plan(Plan next) {
    this.plan = next;
  }

  /** How many requests got {@code fault} so far. */
  long injected(Fault fault) {
    return injected.get(fault).get();
  }

  /** Every fault but {@link Fault#NONE}, so far. */
  long faults() {
    return injected.entrySet().stream()
        .filter(e -> e.getKey() != Fault.NONE)
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String[] first = head.substring(0, head.indexOf("\r\n")).split(" ");
      String method = first[0];
      Fault fault = plan.choose(method, first.length > 1 ? first[1] : "/");
      injected.get(fault).incrementAndGet();
      switch (fault) {
        case RESET -> {
          client.setSoLinger(true, 0);
          client.close();
        }
        case ERROR_500 -> answer(client, in, head, method, 500, "Internal Server Error",
            "InternalError", "We encountered an internal error. Please try again.");
        case ERROR_503 -> answer(client, in, head, method, 503, "Slow Down",
            "SlowDown", "Please reduce your request rate.");
        case DELAY -> {
          Thread.sleep(delay.toMillis());
          pass(client, in, head);
        }
        case SLOW -> {
          Thread.sleep(delay.toMillis() / 2);
          pass(client, in, head);
        }
        case LOST_ANSWER -> {
          pass(client, in, head, OutputStream.nullOutputStream());
          client.setSoLinger(true, 0);
          client.close();
        }
        case NONE -> pass(client, in, head);
      }
    } catch (IOException | RuntimeException e) {
      // the client or S3 went away; the client sees a broken connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Forwards the request on a new upstream connection and streams the answer back. */
  private void pass(Socket client, InputStream in, String head) throws IOException {
    pass(client, in, head, client.getOutputStream());
  }

  /** Forwards the request and copies the whole answer to {@code answer}. */
  private void pass(Socket client, InputStream in, String head, OutputStream answer)
      throws IOException {
    try (Socket up = new Socket(upstream.getAddress(), upstream.getPort())) {
      OutputStream upOut = up.getOutputStream();
      upOut.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
      upOut.flush();
      threads.execute(() -> copyQuietly(in, upOut));
      copyQuietly(up.getInputStream(), answer);
    }
  }

  private static void answer(
      Socket client, InputStream in, String head, String method, int status, String reason,
      String code, String message) throws IOException {
    boolean expectContinue = header(head, "expect").equalsIgnoreCase("100-continue");
    String length = header(head, "content-length");
    if (!expectContinue && !length.isEmpty()) {
      in.skipNBytes(Long.parseLong(length)); // read the body, so closing sends no reset
    }
    byte[] body =
        method.equals("HEAD")
            ? new byte[0]
            : ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                    + message + "</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
    String response =
        "HTTP/1.1 " + status + " " + reason + "\r\n"
            + "Content-Type: application/xml\r\n"
            + "Content-Length: " + body.length + "\r\n"
            + "Connection: close\r\n\r\n";
    OutputStream out = client.getOutputStream();
    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
    client.shutdownOutput();
  }

  /** The request line and headers up to the blank line, or null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
      if (head.size() > 64 * 1024) {
        throw new IOException("request head too large");
      }
    }
    return null;
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static String withConnectionClose(String head) {
    StringBuilder out = new StringBuilder();
    for (String line : head.substring(0, head.length() - 4).split("\r\n")) {
      if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
        out.append(line).append("\r\n");
      }
    }
    return out.append("Connection: close\r\n\r\n").toString();
  }

  private static void copyQuietly(InputStream in, OutputStream out) {
    try {
      in.transferTo(out);
      out.flush();
    } catch (IOException e) {
      // one side closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
