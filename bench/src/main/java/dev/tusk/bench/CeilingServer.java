package dev.tusk.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The ceiling: what a server that does nothing but move bytes between socket and file achieves on
 * this machine. It speaks just enough of tus's shape for the same generator to drive it — POST
 * creates a file (writing any body), PATCH writes the body at Upload-Offset, HEAD stats the file,
 * GET sends it with sendfile ({@link FileChannel#transferTo}, honouring one Range), DELETE removes it
 * — and nothing else: no info file, no checks, no locking. Bodies are copied with one 256 KiB direct
 * buffer per connection ({@code read} into it, positional {@code FileChannel.write} out of it). One
 * platform thread per connection, blocking I/O.
 */
public final class CeilingServer implements Closeable {
  private static final int BUFFER = 256 * 1024;
  private static final Pattern ID = Pattern.compile("[a-z0-9]{1,40}");
  private static final String PREFIX = "/files/";

  private final ServerSocketChannel server;
  private final Path dir;
  private final AtomicLong ids = new AtomicLong();
  private final Thread acceptor;

  private CeilingServer(ServerSocketChannel server, Path dir) {
    this.server = server;
    this.dir = dir;
    this.acceptor = new Thread(this::acceptLoop, "ceiling-accept");
  }

  /** Binds host:port (0 = any free port) and starts accepting. */
  public static CeilingServer start(String host, int port, Path dir) throws IOException {
    Files.createDirectories(dir);
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(host, port), 4096);
    CeilingServer ceiling = new CeilingServer(server, dir);
    ceiling.acceptor.start();
    return ceiling;
  }

  public int port() throws IOException {
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  /** Blocks until the server socket is closed. */
  public void await() throws InterruptedException {
    acceptor.join();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        Thread t = new Thread(() -> serve(channel), "ceiling-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      new Connection(channel).loop();
    } catch (IOException e) {
      // the client went away; nothing to keep
    }
  }

  /** One keep-alive connection; not thread-safe. */
  private final class Connection {
    private final SocketChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
    private int rpos;
    private int wpos;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void loop() throws IOException {
      while (true) {
        int end;
        while ((end = headEnd()) < 0) {
          if (!fill()) {
            return;
          }
        }
        byte[] bytes = new byte[end + 4 - rpos];
        buf.limit(end + 4).position(rpos);
        buf.get(bytes);
        rpos = end + 4;
        handle(new String(bytes, StandardCharsets.ISO_8859_1));
      }
    }

    private void handle(String head) throws IOException {
      String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
      String method = line[0];
      String target = line[1];
      long length = header(head, "content-length", 0);
      String id = target.startsWith(PREFIX) ? target.substring(PREFIX.length()) : "";
      if (method.equals("OPTIONS")) {
        respond("204 No Content", "Tus-Resumable: 1.0.0\r\nTus-Version: 1.0.0\r\n"
            + "Tus-Extension: creation,creation-with-upload,termination\r\n");
      } else if (method.equals("POST") && id.isEmpty()) {
        String created = Long.toString(ids.incrementAndGet(), 36);
        try (FileChannel file = FileChannel.open(dir.resolve(created), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
          copyBody(file, 0, length);
        }
        respond("201 Created", "Tus-Resumable: 1.0.0\r\nLocation: " + PREFIX + created
            + "\r\nUpload-Offset: " + length + "\r\nContent-Length: 0\r\n");
      } else if (!ID.matcher(id).matches()) {
        skipBody(length);
        respond("404 Not Found", "Content-Length: 0\r\n");
      } else if (method.equals("PATCH")) {
        long offset = header(head, "upload-offset", 0);
        try (FileChannel file = FileChannel.open(dir.resolve(id), StandardOpenOption.WRITE)) {
          copyBody(file, offset, length);
        }
        respond("204 No Content",
            "Tus-Resumable: 1.0.0\r\nUpload-Offset: " + (offset + length) + "\r\n");
      } else if (method.equals("HEAD")) {
        long size = Files.size(dir.resolve(id));
        respond("200 OK", "Tus-Resumable: 1.0.0\r\nUpload-Offset: " + size + "\r\nUpload-Length: "
            + size + "\r\nCache-Control: no-store\r\nContent-Length: 0\r\n");
      } else if (method.equals("GET")) {
        sendFile(id, head);
      } else if (method.equals("DELETE")) {
        Files.deleteIfExists(dir.resolve(id));
        respond("204 No Content", "Tus-Resumable: 1.0.0\r\n");
      } else {
        skipBody(length);
        respond("405 Method Not Allowed", "Content-Length: 0\r\n");
      }
    }

    private void sendFile(String id, String head) throws IOException {
      try (FileChannel file = FileChannel.open(dir.resolve(id), StandardOpenOption.READ)) {
        long size = file.size();
        long from = 0;
        long to = size - 1;
        String range = headerValue(head, "range");
        String status = "200 OK";
        String extra = "";
        if (range != null && range.startsWith("bytes=")) {
          String[] fromTo = range.substring(6).split("-", 2);
          from = Long.parseLong(fromTo[0].trim());
          if (!fromTo[1].isBlank()) {
            to = Math.min(size - 1, Long.parseLong(fromTo[1].trim()));
          }
          status = "206 Partial Content";
          extra = "Content-Range: bytes " + from + "-" + to + "/" + size + "\r\n";
        }
        long count = to - from + 1;
        respond(status, extra + "Content-Type: application/octet-stream\r\nContent-Length: "
            + count + "\r\n");
        long sent = 0;
        while (sent < count) {
          sent += file.transferTo(from + sent, count - sent, channel);
        }
      } catch (NoSuchFileException e) {
        respond("404 Not Found", "Content-Length: 0\r\n");
      }
    }

    /** Copies {@code length} body bytes to {@code file} at {@code position}. */
    private void copyBody(FileChannel file, long position, long length) throws IOException {
      long pos = position;
      long left = length;
      while (left > 0) {
        if (rpos == wpos) {
          rpos = 0;
          buf.limit((int) Math.min(BUFFER, left)).position(0);
          int n = channel.read(buf);
          if (n < 0) {
            throw new EOFException();
          }
          wpos = n;
        }
        int take = (int) Math.min(left, wpos - rpos);
        ByteBuffer part = buf.duplicate();
        part.limit(rpos + take).position(rpos);
        while (part.hasRemaining()) {
          pos += file.write(part, pos);
        }
        rpos += take;
        left -= take;
      }
    }

    private void skipBody(long length) throws IOException {
      long left = length;
      while (left > 0) {
        if (rpos == wpos && !fill()) {
          throw new EOFException();
        }
        int take = (int) Math.min(left, wpos - rpos);
        rpos += take;
        left -= take;
      }
    }

    private void respond(String status, String headers) throws IOException {
      ByteBuffer out = ByteBuffer.wrap(("HTTP/1.1 " + status + "\r\n" + headers + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      while (out.hasRemaining()) {
        channel.write(out);
      }
    }

    private int headEnd() {
      buf.limit(buf.capacity());
      for (int i = rpos; i + 3 < wpos; i++) {
        if (buf.get(i) == '\r' && buf.get(i + 1) == '\n' && buf.get(i + 2) == '\r'
            && buf.get(i + 3) == '\n') {
          return i;
        }
      }
      return -1;
    }

    /** Reads more; false at end of stream. */
    private boolean fill() throws IOException {
      if (rpos == wpos) {
        rpos = 0;
        wpos = 0;
      } else if (wpos == buf.capacity()) {
        buf.limit(wpos).position(rpos);
        buf.compact();
        wpos -= rpos;
        rpos = 0;
      }
      buf.limit(buf.capacity()).position(wpos);
      int n = channel.read(buf);
      if (n < 0) {
        return false;
      }
      wpos += n;
      return true;
    }
  }

  private static long header(String head, String name, long absent) {
    String value = headerValue(head, name);
    return value == null ? absent : Long.parseLong(value);
  }

  private static String headerValue(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
