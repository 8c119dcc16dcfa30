package dev.tusk.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.SelfSigned;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.http.InterimResponses;
import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interim responses read as bytes: HTTP/1.1 from a raw socket (cleartext and TLS), HTTP/2 as frames
 * (h2c with prior knowledge, h2 over TLS chosen by ALPN), on Undertow built by {@link Listeners}
 * exactly as the server builds it.
 */
class InterimResponsesTest {
  private static final HttpString LOCATION = Headers.LOCATION;
  private static final HttpString UPLOAD_OFFSET = new HttpString("Upload-Offset");
  private static final HttpString SENT = new HttpString("X-Interim-Sent");
  private static final Duration TICK = Duration.ofMillis(20);

  @TempDir Path dir;
  private Undertow undertow;
  private ByteBufferPool buffers;
  private SelfSigned cert;
  /** What {@code send} answered after the final response had started. */
  private final AtomicReference<Boolean> lateSend = new AtomicReference<>();
  /** How many interim responses {@code /flood} queued before one was refused. */
  private final AtomicReference<Integer> flooded = new AtomicReference<>();
  private static final String FILL = "x".repeat(4000);

  @AfterEach
  void stop() {
    if (undertow != null) {
      undertow.stop();
      buffers.close();
    }
  }

  // ---- HTTP/1.1

  @Test
  void http11_send_writesExactInterimBytesBeforeTheFinalResponse() throws Exception {
    try (Socket s = plain(false)) {
      String response = exchange(s, "POST /create HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertThat(response)
          .startsWith("HTTP/1.1 104 Upload Resumption Supported\r\nLocation: /files/abc\r\n\r\n"
              + "HTTP/1.1 201 Created\r\n")
          .contains("\r\nX-Interim-Sent: true\r\n")
          .endsWith("\r\n\r\ncreated");
    }
  }

  @Test
  void http11_headerValueWithCrLf_isSentWithoutThem() throws Exception {
    try (Socket s = plain(false)) {
      String response = exchange(s, "POST /dirty HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertThat(response).startsWith(
          "HTTP/1.1 104 Upload Resumption Supported\r\nLocation: /aX-Evil: 1\r\n\r\n"
              + "HTTP/1.1 201 Created\r\n");
    }
  }

  @Test
  void http11_sendFromAWorkerThread_isWrittenOnTheIoThreadBeforeTheFinalResponse() throws Exception {
    try (Socket s = plain(false)) {
      String response = exchange(s, "POST /worker HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertThat(response).startsWith(
          "HTTP/1.1 104 Upload Resumption Supported\r\nLocation: /files/abc\r\n\r\nHTTP/1.1 201 Created\r\n");
    }
  }

  @Test
  void http10_getsNoInterimResponse() throws Exception {
    try (Socket s = plain(false)) {
      String response = exchange(s, "POST /create HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.0 201 Created\r\n").contains("\r\nX-Interim-Sent: false\r\n")
          .doesNotContain("104");
    }
  }

  @Test
  void http11_sendAfterTheResponseStarted_sendsNothing() throws Exception {
    try (Socket s = plain(false)) {
      String response = exchange(s, "POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("104");
      // the handler records the answer just after the response went out
      for (int i = 0; i < 500 && lateSend.get() == null; i++) {
        Thread.sleep(10);
      }
      assertThat(lateSend.get()).isFalse();
    }
  }

  @Test
  void http11_every_sendsProgressUntilTheFinalResponseAndNothingAfter() throws Exception {
    try (Socket s = plain(false)) {
      progressOverHttp11(s);
    }
  }

  @Test
  void http11OverTls_every_sendsProgressUntilTheFinalResponseAndNothingAfter() throws Exception {
    try (SSLSocket s = tls("http/1.1")) {
      assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
      progressOverHttp11(s);
    }
  }

  private void progressOverHttp11(Socket s) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write("PATCH /append HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello".getBytes(US_ASCII));
    out.flush();
    Http11Reader in = new Http11Reader(s.getInputStream());
    // progress every tick: 0 until the handler has read "hello", then 5
    int atFive = 0;
    for (int i = 0; i < 100 && atFive < 3; i++) {
      String head = in.head();
      assertThat(head).matches("HTTP/1\\.1 104 Upload Resumption Supported\r\nUpload-Offset: [05]\r\n\r\n");
      atFive += head.contains(": 5\r\n") ? 1 : 0;
    }
    assertThat(atFive).isEqualTo(3);
    out.write("world".getBytes(US_ASCII));
    out.flush();
    String head;
    do {
      head = in.head();
    } while (head.startsWith("HTTP/1.1 104 "));
    assertThat(head).startsWith("HTTP/1.1 204 No Content\r\n").contains("\r\nUpload-Offset: 10\r\n");
    // the ticker was never closed by the handler: the final response alone stops it
    s.setSoTimeout((int) TICK.multipliedBy(10).toMillis());
    assertThat(in.nothingWithinTimeout()).isTrue();
  }

  @Test
  void http11_clientNotReading_interimBytesStayWholeAndPrecedeTheFinalResponse() throws Exception {
    // a small receive window and no reads: the server's socket fills, interim bytes wait, and
    // the final response must wait behind them rather than interleave
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", start(false, false)));
    s.setSoTimeout(10_000);
    try (s) {
      s.getOutputStream().write("POST /flood HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".getBytes(US_ASCII));
      s.getOutputStream().flush();
      for (int i = 0; i < 500 && flooded.get() == null; i++) {
        Thread.sleep(10);
      }
      assertThat(flooded.get()).as("some send refused while bytes waited").isNotNull();
      Http11Reader in = new Http11Reader(s.getInputStream());
      String expected = "HTTP/1.1 104 Upload Resumption Supported\r\nX-Fill: " + FILL + "\r\n\r\n";
      for (int i = 0; i < flooded.get(); i++) {
        assertThat(in.head()).as("interim response %d", i).isEqualTo(expected);
      }
      String last = in.head();
      assertThat(last).startsWith("HTTP/1.1 201 Created\r\n");
      assertThat(in.body(7)).isEqualTo("created");
    }
  }

  // ---- HTTP/2

  @Test
  void h2c_send_isAHeadersFrameWithoutEndStreamBeforeTheFinalResponse() throws Exception {
    // the upgraded request itself is stream 1; a second request on stream 3
    try (H2Frames h2 = H2Frames.upgrade(plain(true), "POST", "/create")) {
      assertCreation(h2.readUntil(1, Integer.MAX_VALUE));
      h2.headers(3, "POST", "/worker", Map.of(), true);
      assertCreation(h2.readUntil(3, Integer.MAX_VALUE));
    }
  }

  @Test
  void h2OverTls_send_isAHeadersFrameWithoutEndStreamBeforeTheFinalResponse() throws Exception {
    SSLSocket s = tls("h2");
    assertThat(s.getApplicationProtocol()).isEqualTo("h2");
    try (H2Frames h2 = new H2Frames(s)) {
      h2.headers(1, "POST", "/create", Map.of(), true);
      assertCreation(h2.readUntil(1, Integer.MAX_VALUE));
      h2.headers(3, "POST", "/worker", Map.of(), true);
      assertCreation(h2.readUntil(3, Integer.MAX_VALUE));
    }
  }

  private static void assertCreation(List<H2Frames.Frame> frames) {
    assertThat(frames.get(0).status()).isEqualTo("104");
    assertThat(frames.get(0).header("location")).isEqualTo("/files/abc");
    assertThat(frames.get(0).endStream()).isFalse();
    assertThat(frames.get(1).status()).isEqualTo("201");
    assertThat(frames.get(1).header("x-interim-sent")).isEqualTo("true");
    assertThat(frames.stream().filter(H2Frames.Frame::isHeaders)).hasSize(2);
  }

  @Test
  void h2c_every_sendsProgressUntilTheFinalResponseAndNothingAfter() throws Exception {
    try (H2Frames h2 = H2Frames.upgrade(plain(true), "GET", "/none")) {
      h2.readUntil(1, Integer.MAX_VALUE);
      progressOverHttp2(h2, 3);
    }
  }

  @Test
  void h2OverTls_every_sendsProgressUntilTheFinalResponseAndNothingAfter() throws Exception {
    try (H2Frames h2 = new H2Frames(tls("h2"))) {
      progressOverHttp2(h2, 1);
    }
  }

  private void progressOverHttp2(H2Frames h2, int stream) throws Exception {
    h2.headers(stream, "PATCH", "/append", Map.of("content-length", "10"), false);
    h2.data(stream, "hello".getBytes(US_ASCII), false);
    List<H2Frames.Frame> interim = List.of();
    for (int n = 1; n < 100 && interim.stream().filter(f -> "5".equals(f.header("upload-offset"))).count() < 3; n++) {
      interim = h2.readUntil(stream, n);
    }
    assertThat(interim.stream().filter(f -> "5".equals(f.header("upload-offset")))).hasSize(3);
    assertThat(interim).allSatisfy(f -> {
      assertThat(f.status()).isEqualTo("104");
      assertThat(f.header("upload-offset")).isIn("0", "5");
      assertThat(f.endStream()).isFalse();
    });
    h2.data(stream, "world".getBytes(US_ASCII), true);
    List<H2Frames.Frame> all = h2.readUntil(stream, Integer.MAX_VALUE);
    H2Frames.Frame last = all.get(all.size() - 1);
    assertThat(last.status()).isEqualTo("204");
    assertThat(last.header("upload-offset")).isEqualTo("10");
    assertThat(last.endStream()).isTrue();
    assertThat(all.subList(0, all.size() - 1)).allSatisfy(f -> assertThat(f.status()).isEqualTo("104"));
    // nothing more on the stream after its end, though the handler never closed the ticker
    int before = h2.on(stream).size();
    h2.timeout(TICK.multipliedBy(10));
    for (int i = 0; i < 10 && h2.readSome(); i++) {
      // settings acknowledgements and window updates may still arrive
    }
    assertThat(h2.on(stream)).hasSize(before);
  }

  @Test
  void send_nonInterimStatus_isRefused() {
    assertThatThrownBy(() -> InterimResponses.send(null, 200, new HeaderMap()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InterimResponses.send(null, 101, new HeaderMap()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- the server under test

  private HttpHandler handler() {
    return exchange -> {
      switch (exchange.getRequestPath()) {
        case "/create" -> created(exchange, InterimResponses.send(exchange, 104, location("/files/abc")));
        case "/dirty" -> created(exchange, InterimResponses.send(exchange, 104, location("/a\r\nX-Evil: 1\u00e9")));
        case "/worker" -> exchange.dispatch(() -> created(exchange,
            InterimResponses.send(exchange, 104, location("/files/abc"))));
        case "/late" -> {
          exchange.getResponseSender().send("late");
          lateSend.set(InterimResponses.send(exchange, 104, location("/files/abc")));
        }
        case "/append" -> append(exchange);
        case "/flood" -> exchange.dispatch((HttpHandler) ex -> {
          HeaderMap fill = new HeaderMap();
          fill.put(new HttpString("X-Fill"), FILL);
          int sent = 0;
          int refusedInARow = 0;
          while (sent < 10_000 && refusedInARow < 20) { // refused for 100 ms: the socket is full
            if (InterimResponses.send(exchange, 104, fill)) {
              sent++;
              refusedInARow = 0;
            } else {
              refusedInARow++;
              Thread.sleep(5);
            }
          }
          flooded.set(sent);
          created(exchange, true);
        });
        default -> exchange.setStatusCode(404);
      }
    };
  }

  private static HeaderMap location(String value) {
    HeaderMap h = new HeaderMap();
    h.put(LOCATION, value);
    return h;
  }

  private static void created(HttpServerExchange exchange, boolean sent) {
    exchange.setStatusCode(201);
    exchange.getResponseHeaders().put(LOCATION, "/files/abc").put(SENT, String.valueOf(sent));
    exchange.getResponseSender().send("created");
  }

  /** Reads the body; a 104 with the bytes received so far every tick; 204 once all arrived. */
  private static void append(HttpServerExchange exchange) {
    AtomicLong received = new AtomicLong();
    InterimResponses.every(exchange, 104, TICK, () -> {
      HeaderMap h = new HeaderMap();
      h.put(UPLOAD_OFFSET, received.get());
      return h;
    });
    exchange.getRequestReceiver().receivePartialBytes((ex, bytes, last) -> {
      received.addAndGet(bytes.length);
      if (last) {
        ex.setStatusCode(204);
        ex.getResponseHeaders().put(UPLOAD_OFFSET, received.get());
        ex.endExchange();
      }
    });
  }

  private int start(boolean tls, boolean h2c) throws Exception {
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withUploadDir(dir)
        .toBuilder().h2c(h2c).build();
    if (tls) {
      cert = SelfSigned.create(dir, "server", "EC");
      config = config.withTls(new ServerConfig.Tls(cert.cert(), cert.key()));
    }
    buffers = Listeners.bufferPool();
    undertow = Listeners.undertow(config, handler(), null, buffers);
    undertow.start();
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  private Socket plain(boolean h2c) throws Exception {
    Socket s = new Socket("127.0.0.1", start(false, h2c));
    s.setSoTimeout(10_000);
    return s;
  }

  private SSLSocket tls(String alpn) throws Exception {
    int port = start(true, false);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream pem = java.nio.file.Files.newInputStream(cert.cert())) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters params = s.getSSLParameters();
    params.setApplicationProtocols(new String[] {alpn});
    s.setSSLParameters(params);
    s.setSoTimeout(10_000);
    s.startHandshake();
    return s;
  }

  /** Sends {@code request} and returns every byte up to the end of the final response's body. */
  private static String exchange(Socket s, String request) throws IOException {
    s.getOutputStream().write(request.getBytes(US_ASCII));
    s.getOutputStream().flush();
    Http11Reader in = new Http11Reader(s.getInputStream());
    StringBuilder all = new StringBuilder();
    String head;
    do {
      head = in.head();
      all.append(head);
    } while (head.matches("(?s)HTTP/1\\.[01] 1\\d\\d .*"));
    Matcher length = Pattern.compile("(?i)\r\ncontent-length: (\\d+)\r\n").matcher(head);
    if (length.find()) {
      all.append(in.body(Integer.parseInt(length.group(1))));
    }
    return all.toString();
  }

  /** Reads HTTP/1.1 response heads and bodies byte by byte. */
  private static final class Http11Reader {
    private final InputStream in;

    Http11Reader(InputStream in) {
      this.in = in;
    }

    /** One response head, up to and including its empty line. */
    String head() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int tail = 0; // the last four bytes
      while (tail != 0x0d0a0d0a) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed after " + head.toString(US_ASCII));
        }
        head.write(b);
        tail = tail << 8 | b;
      }
      return head.toString(US_ASCII);
    }

    String body(int length) throws IOException {
      return new String(in.readNBytes(length), US_ASCII);
    }

    /** True if the peer sent nothing before the socket's read timeout. */
    boolean nothingWithinTimeout() throws IOException {
      try {
        in.read();
        return false;
      } catch (SocketTimeoutException e) {
        return true;
      }
    }
  }
}
