package dev.tusk.server.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tusk.server.protocol.ChecksumAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * The tus requests of the uploader (creation, HEAD, PATCH, concatenation) over the JDK's HTTP
 * client on HTTP/1.1. Each method makes one request and either returns what the server said or
 * throws {@link RequestFailure}; retrying is the caller's business. Thread-safe.
 */
final class TusClient {
  static final String VERSION = "1.0.0";
  static final String OCTETS = "application/offset+octet-stream";
  private static final int SLICE = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final List<Header> headers;
  private final Pacer pacer;

  /** One {@code -H 'Name: value'} of the command line. */
  record Header(String name, String value) {
    static Header parse(String line) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("'" + line + "' is not a header (Name: value)");
      }
      return new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
  }

  /** What HEAD says of an upload. */
  record Head(long offset, OptionalLong length) {}

  TusClient(HttpClient http, List<Header> headers, Pacer pacer) {
    this.http = http;
    this.headers = List.copyOf(headers);
    this.pacer = pacer;
  }

  static HttpClient http() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /**
   * POST to the endpoint: a new upload of {@code length} (empty: deferred), or with {@code concat}
   * ({@code partial} or {@code final;…}) a part or the concatenation. Returns its URL.
   */
  URI create(URI endpoint, OptionalLong length, String metadata, Optional<String> concat)
      throws RequestFailure, InterruptedException {
    HttpRequest.Builder b = request(endpoint).POST(BodyPublishers.noBody());
    if (concat.isEmpty() || concat.get().equals("partial")) {
      if (length.isPresent()) {
        b.header("Upload-Length", Long.toString(length.getAsLong()));
      } else {
        b.header("Upload-Defer-Length", "1");
      }
    }
    concat.ifPresent(c -> b.header("Upload-Concat", c));
    if (!metadata.isEmpty()) {
      b.header("Upload-Metadata", metadata);
    }
    HttpResponse<byte[]> r = send(b.build(), 201);
    String location = r.headers().firstValue("Location")
        .orElseThrow(() -> new RequestFailure(r.statusCode(), "201 without a Location", Optional.empty()));
    return endpoint.resolve(location);
  }

  Head head(URI upload) throws RequestFailure, InterruptedException {
    HttpResponse<byte[]> r = send(request(upload).method("HEAD", BodyPublishers.noBody()).build(), 200);
    OptionalLong length = r.headers().firstValue("Upload-Length")
        .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    return new Head(offset(r), length);
  }

  /**
   * PATCH {@code len} bytes of {@code data} from {@code from} at {@code offset}; {@code declare}
   * sends {@code Upload-Length} (the last PATCH of a deferred upload). {@code sent} hears the
   * bytes as the client hands them to the connection. Returns the server's new offset.
   */
  long patch(URI upload, long offset, byte[] data, int from, int len,
      Optional<ChecksumAlgorithm> checksum, OptionalLong declare, LongConsumer sent)
      throws RequestFailure, InterruptedException {
    HttpRequest.Builder b = request(upload)
        .header("Content-Type", OCTETS)
        .header("Upload-Offset", Long.toString(offset))
        .method("PATCH", body(data, from, len, sent));
    declare.ifPresent(l -> b.header("Upload-Length", Long.toString(l)));
    checksum.ifPresent(a -> {
      var digest = a.newDigest();
      digest.update(data, from, len);
      b.header("Upload-Checksum", a.tusName() + " " + Base64.getEncoder().encodeToString(digest.digest()));
    });
    return offset(send(b.build(), 204));
  }

  /** The bytes in slices of 64 KiB, each paced and reported as the HTTP client takes it. */
  private BodyPublisher body(byte[] data, int from, int len, LongConsumer sent) {
    Iterable<byte[]> slices = () -> new Iterator<>() {
      int at = from;

      @Override
      public boolean hasNext() {
        return at < from + len;
      }

      @Override
      public byte[] next() {
        int n = Math.min(SLICE, from + len - at);
        pacer.take(n);
        byte[] slice = java.util.Arrays.copyOfRange(data, at, at + n);
        at += n;
        sent.accept(n);
        return slice;
      }
    };
    return BodyPublishers.fromPublisher(BodyPublishers.ofByteArrays(slices), len);
  }

  private static long offset(HttpResponse<?> r) throws RequestFailure {
    Optional<String> v = r.headers().firstValue("Upload-Offset");
    try {
      return Long.parseLong(v.orElseThrow());
    } catch (RuntimeException e) {
      throw new RequestFailure(r.statusCode(), "answer without a valid Upload-Offset", Optional.empty());
    }
  }

  HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Tus-Resumable", VERSION);
    for (Header h : headers) {
      b.header(h.name(), h.value());
    }
    return b;
  }

  private HttpResponse<byte[]> send(HttpRequest request, int expected)
      throws RequestFailure, InterruptedException {
    HttpResponse<byte[]> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw RequestFailure.network(e);
    }
    if (r.statusCode() != expected) {
      throw failure(request.method(), r.statusCode(), r.headers(), r.body());
    }
    return r;
  }

  static RequestFailure failure(String method, int status, HttpHeaders headers, byte[] body) {
    JsonNode problem = problem(body);
    JsonNode text = problem.hasNonNull("detail") ? problem.get("detail") : problem.get("title");
    String message = method + " answered " + status + (text == null ? "" : ": " + text.asText());
    String code = problem.hasNonNull("code") ? problem.get("code").asText() : null;
    return new RequestFailure(status, code, message, headers.firstValue("Retry-After"));
  }

  /** A problem+json body (RFC 9457) as a tree; an empty object when the body is not one. */
  private static JsonNode problem(byte[] body) {
    if (body == null || body.length == 0 || body.length > 64 * 1024) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : JSON.createObjectNode();
    } catch (IOException | RuntimeException notJson) {
      return JSON.createObjectNode();
    }
  }

  /**
   * Keeps the bytes handed to the network under a rate (bytes per second; 0 = unlimited), averaged
   * since the start; time spent idle (between files, waiting for a retry) is credited for at most
   * one second, so it does not turn into a burst. Shared by parallel parts.
   */
  static final class Pacer {
    private static final long IDLE_CREDIT = 1_000_000_000L;
    private final long rate;
    private long start;
    private long taken;

    Pacer(long rate) {
      this.rate = rate;
    }

    synchronized void take(int n) {
      if (rate <= 0) {
        return;
      }
      long now = System.nanoTime();
      if (taken == 0 || now - start - (long) (taken * 1e9 / rate) > IDLE_CREDIT) {
        // a fresh start, or idle long enough that the lost time would turn into a burst
        start = now;
        taken = 0;
      }
      taken += n;
      long due = start + (long) (taken * 1e9 / rate);
      if (due > now) {
        try {
          Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
