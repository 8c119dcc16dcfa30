package dev.tusk.conformance.rufh;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import dev.tusk.core.SelfSigned;
import dev.tusk.server.H2Frames;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.options.ConfigException;
import dev.tusk.server.options.Option;
import dev.tusk.server.options.ServerConfigReader;
import dev.tusk.server.options.ServerOptions;
import dev.tusk.server.options.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 104 (Upload Resumption Supported) interim responses, read from the socket: HTTP/1.1 bytes, and
 * HTTP/2 frames over h2c (reached by upgrade) and over TLS (ALPN h2).
 */
class InterimResponsesIT {
  /**
   * The interop version these tests speak: -04/-05, where the 104 carries Location and Upload-Limit
   * and an append is a PATCH of application/partial-upload.
   */
  private static final String VERSION = "6";
  private static final String PROGRESS_INTERVAL = "100ms";
  private static final int QUIET_MILLIS = 600;

  @TempDir Path dir;
  private TuskFixture tusk;
  private SelfSigned cert;

  @AfterEach
  void stop() throws IOException {
    if (tusk != null) {
      tusk.close();
    }
  }

  // ---- HTTP/1.1

  @Test
  @DisplayName("HTTP/1.1: \"the server SHOULD send a 104 (Upload Resumption Supported) informational"
      + " response\" with the Location of the upload the final 201 names")
  void http11_creation_104WithLocationBeforeThe201() throws Exception {
    start(false);
    try (Socket s = socket()) {
      write(s, "POST /files/ HTTP/1.1\r\nHost: localhost\r\nUpload-Draft-Interop-Version: " + VERSION
          + "\r\nUpload-Complete: ?1\r\nContent-Length: 5\r\n\r\nhello");
      Heads in = new Heads(s.getInputStream());
      Map<String, String> interim = in.next();
      assertThat(interim.get(":status")).isEqualTo("104");
      assertThat(interim.get(":line")).isEqualTo("HTTP/1.1 104 Upload Resumption Supported");
      assertThat(interim.get("location")).contains("/files/");
      assertThat(interim.get("upload-limit")).as("Upload-Limit in version " + VERSION).isNotBlank();
      Map<String, String> last = in.nextFinal();
      assertThat(last.get(":status")).isEqualTo("201");
      assertThat(last.get("location")).isEqualTo(interim.get("location"));
    }
  }

  @Test
  @DisplayName("HTTP/1.1: \"An informational response MAY contain the Upload-Offset header field\":"
      + " progress 104s during a slow append, none after the final response")
  void http11_slowAppend_progress104sThenNoneAfterTheFinalResponse() throws Exception {
    start(false);
    String location = createIncomplete();
    try (Socket s = socket()) {
      write(s, "PATCH " + path(location) + " HTTP/1.1\r\nHost: localhost\r\nUpload-Draft-Interop-Version: "
          + VERSION + "\r\nUpload-Offset: 0\r\nUpload-Complete: ?1\r\nContent-Type: application/partial-upload"
          + "\r\nContent-Length: 10\r\n\r\nhello");
      Heads in = new Heads(s.getInputStream());
      List<Long> offsets = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Map<String, String> interim = in.next();
        assertThat(interim.get(":status")).isEqualTo("104");
        offsets.add(Long.parseLong(interim.get("upload-offset")));
      }
      assertThat(offsets).isSorted().allSatisfy(o -> assertThat(o).isBetween(0L, 5L));
      write(s, "world");
      Map<String, String> last = in.nextFinal();
      assertThat(last.get(":status")).startsWith("2");
      assertThat(last.get("upload-offset")).isEqualTo("10");
      s.setSoTimeout(QUIET_MILLIS);
      assertThat(in.quiet()).as("nothing after the final response").isTrue();
    }
  }

  @Test
  @DisplayName("HTTP/1.1: a tus 1.0 creation and a slow tus PATCH get no 104")
  void http11_tus_no104() throws Exception {
    start(false);
    try (Socket s = socket()) {
      write(s, "POST /files/ HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\nUpload-Length: 10"
          + "\r\nContent-Length: 0\r\n\r\n");
      Heads in = new Heads(s.getInputStream());
      Map<String, String> created = in.next();
      assertThat(created.get(":status")).isEqualTo("201");
      write(s, "PATCH " + path(created.get("location")) + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream"
          + "\r\nContent-Length: 10\r\n\r\nhello");
      s.setSoTimeout(QUIET_MILLIS);
      assertThat(in.quiet()).as("no 104 while the tus PATCH body is pending").isTrue();
      s.setSoTimeout(10_000);
      write(s, "world");
      assertThat(in.next().get(":status")).isEqualTo("204");
    }
  }

  @Test
  @DisplayName("HTTP/1.1: \"MUST NOT send a 104 ... when the interop version ... is missing or"
      + " mismatching\"")
  void http11_unknownInteropVersion_no104() throws Exception {
    start(false);
    try (Socket s = socket()) {
      write(s, "POST /files/ HTTP/1.1\r\nHost: localhost\r\nUpload-Draft-Interop-Version: 99"
          + "\r\nUpload-Complete: ?1\r\nContent-Length: 5\r\n\r\nhello");
      Map<String, String> first = new Heads(s.getInputStream()).next();
      assertThat(first.get(":status")).isNotEqualTo("104").doesNotStartWith("1");
    }
  }

  @Test
  @DisplayName("HTTP/1.1: with rufh-interim false, no 104 on creation nor during a slow append")
  void http11_interimOff_no104() throws Exception {
    start(false, false);
    try (Socket s = socket()) {
      write(s, "POST /files/ HTTP/1.1\r\nHost: localhost\r\nUpload-Draft-Interop-Version: " + VERSION
          + "\r\nUpload-Complete: ?0\r\nContent-Length: 0\r\n\r\n");
      Heads in = new Heads(s.getInputStream());
      Map<String, String> created = in.next();
      assertThat(created.get(":status")).as("the first response is the final one").isEqualTo("201");
      write(s, "PATCH " + path(created.get("location")) + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Upload-Draft-Interop-Version: " + VERSION + "\r\nUpload-Offset: 0\r\nUpload-Complete: ?1"
          + "\r\nContent-Type: application/partial-upload\r\nContent-Length: 10\r\n\r\nhello");
      s.setSoTimeout(QUIET_MILLIS);
      assertThat(in.quiet()).as("no progress 104 while the body is pending").isTrue();
      s.setSoTimeout(10_000);
      write(s, "world");
      assertThat(in.next().get(":status")).startsWith("2");
    }
  }

  // ---- HTTP/2

  @Test
  @DisplayName("h2c: the 104 with Location is a HEADERS frame without END_STREAM before the 201;"
      + " progress 104s during a slow append")
  void h2c_creationAndProgress() throws Exception {
    start(false);
    try (H2Frames h2 = H2Frames.upgrade(socket(), "OPTIONS", "/files/")) {
      h2.readUntil(1, Integer.MAX_VALUE);
      http2(h2, 3);
    }
  }

  @Test
  @DisplayName("h2 over TLS (ALPN): the 104 with Location is a HEADERS frame without END_STREAM"
      + " before the 201; progress 104s during a slow append")
  void h2_creationAndProgress() throws Exception {
    start(true);
    try (H2Frames h2 = new H2Frames(tlsSocket())) {
      http2(h2, 1);
    }
  }

  private void http2(H2Frames h2, int stream) throws Exception {
    h2.headers(stream, "POST", "/files/", Map.of("upload-draft-interop-version", VERSION,
        "upload-complete", "?0", "content-length", "0"), true);
    List<H2Frames.Frame> created = h2.readUntil(stream, Integer.MAX_VALUE);
    assertThat(created.get(0).status()).isEqualTo("104");
    assertThat(created.get(0).endStream()).isFalse();
    String location = created.get(0).header("location");
    assertThat(location).contains("/files/");
    H2Frames.Frame last = created.stream().filter(H2Frames.Frame::isHeaders).reduce((a, b) -> b).orElseThrow();
    assertThat(last.status()).isEqualTo("201");
    assertThat(last.header("location")).isEqualTo(location);

    int append = stream + 2;
    h2.headers(append, "PATCH", path(location), Map.of("upload-draft-interop-version", VERSION,
        "upload-offset", "0", "upload-complete", "?1", "content-type", "application/partial-upload",
        "content-length", "10"), false);
    h2.data(append, "hello".getBytes(US_ASCII), false);
    List<H2Frames.Frame> progress = h2.readUntil(append, 3);
    assertThat(progress).hasSize(3).allSatisfy(f -> {
      assertThat(f.status()).isEqualTo("104");
      assertThat(Long.parseLong(f.header("upload-offset"))).isBetween(0L, 5L);
      assertThat(f.endStream()).isFalse();
    });
    h2.data(append, "world".getBytes(US_ASCII), true);
    List<H2Frames.Frame> all = h2.readUntil(append, Integer.MAX_VALUE);
    H2Frames.Frame done = all.stream().filter(H2Frames.Frame::isHeaders).reduce((a, b) -> b).orElseThrow();
    assertThat(done.status()).startsWith("2");
    assertThat(done.header("upload-offset")).isEqualTo("10");
    int seen = h2.on(append).size();
    h2.timeout(java.time.Duration.ofMillis(QUIET_MILLIS));
    for (int i = 0; i < 5 && h2.readSome(); i++) {
      // window updates and settings acknowledgements may still arrive
    }
    assertThat(h2.on(append)).as("nothing after the final response").hasSize(seen);
  }

  // ---- helpers

  /**
   * The fixture's server with h2c, a short progress interval and optionally TLS, configured
   * through the options table as {@code tusk serve} is.
   */
  private void start(boolean tls) throws Exception {
    start(tls, true);
  }

  private void start(boolean tls, boolean interim) throws Exception {
    if (tls) {
      cert = SelfSigned.create(dir, "server", "EC");
    }
    tusk = TuskFixture.start(c -> {
      Map<Option<?>, String> flags = new HashMap<>();
      flags.put(option("host"), c.host());
      flags.put(option("port"), "0");
      flags.put(option("upload-dir"), c.uploadDir().toString());
      flags.put(option("h2c"), "true");
      flags.put(option("rufh-progress-interval"), PROGRESS_INTERVAL);
      flags.put(option("rufh-interim"), Boolean.toString(interim));
      if (tls) {
        flags.put(option("tls.cert"), cert.cert().toString());
        flags.put(option("tls.key"), cert.key().toString());
      }
      try {
        return ServerConfigReader.from(Settings.load(flags, Map.of(), Optional.empty()));
      } catch (ConfigException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static Option<?> option(String key) {
    return ServerOptions.byKey(key).orElseThrow(() -> new IllegalStateException("no option " + key));
  }

  private Socket socket() throws IOException {
    Socket s = new Socket("127.0.0.1", tusk.server().port());
    s.setSoTimeout(10_000);
    return s;
  }

  private SSLSocket tlsSocket() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream pem = Files.newInputStream(cert.cert())) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tusk.server().port());
    SSLParameters params = s.getSSLParameters();
    params.setApplicationProtocols(new String[] {"h2"});
    s.setSSLParameters(params);
    s.setSoTimeout(10_000);
    s.startHandshake();
    assertThat(s.getApplicationProtocol()).isEqualTo("h2");
    return s;
  }

  /** Creates an empty, incomplete upload over HTTP/1.1 and returns its URL. */
  private String createIncomplete() throws Exception {
    try (Socket s = socket()) {
      write(s, "POST /files/ HTTP/1.1\r\nHost: localhost\r\nUpload-Draft-Interop-Version: " + VERSION
          + "\r\nUpload-Complete: ?0\r\nContent-Length: 0\r\n\r\n");
      Map<String, String> created = new Heads(s.getInputStream()).nextFinal();
      assertThat(created.get(":status")).isEqualTo("201");
      return created.get("location");
    }
  }

  private static String path(String url) {
    return url.replaceFirst("^https?://[^/]+", "");
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(US_ASCII));
    out.flush();
  }

  /** Reads HTTP/1.1 response heads (and skips their bodies) from a socket. */
  private static final class Heads {
    private static final Pattern LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");
    private final InputStream in;

    Heads(InputStream in) {
      this.in = in;
    }

    /** The next response's head, as lower-case names; its status line under ":line". */
    Map<String, String> next() throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      while (!raw.toString(US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed after " + raw.toString(US_ASCII));
        }
        raw.write(b);
      }
      String head = raw.toString(US_ASCII);
      Map<String, String> fields = new LinkedHashMap<>();
      String[] lines = head.split("\r\n");
      fields.put(":line", lines[0]);
      fields.put(":status", lines[0].split(" ")[1]);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        fields.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      Matcher length = LENGTH.matcher(head);
      if (!fields.get(":status").startsWith("1") && length.find()) {
        in.readNBytes(Integer.parseInt(length.group(1)));
      }
      return fields;
    }

    /** The next final (non-1xx) response's head. */
    Map<String, String> nextFinal() throws IOException {
      Map<String, String> head;
      do {
        head = next();
      } while (head.get(":status").startsWith("1"));
      return head;
    }

    /** True if nothing arrives before the socket's read timeout. */
    boolean quiet() throws IOException {
      try {
        in.read();
        return false;
      } catch (SocketTimeoutException e) {
        return true;
      }
    }
  }
}
