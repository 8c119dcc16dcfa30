package dev.tusk.conformance.ops;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * One client of the kill campaign: it uploads until told to stop creating, in every tus flavour
 * (plain PATCHes, creation-with-upload, checksums, deferred length, concatenation), and drives each
 * upload to its end through server deaths: a request that gets no answer is followed by a HEAD
 * (retried until a server answers), and the upload resumes from the offset it reports. Every HEAD
 * is checked against the last offset the server acknowledged for the upload; an offset below it is
 * counted as lost bytes. Not thread-safe: one thread per client.
 */
final class CampaignClient {
  enum Kind { PLAIN, CREATION_WITH_UPLOAD, CHECKSUM, DEFERRED, CONCATENATION }

  /** An upload the client knows of: its bytes, its path once created, what was acknowledged. */
  static final class Upload {
    final Kind kind;
    final byte[] data;
    final boolean partial;
    String path;
    long acked;
    boolean complete;

    Upload(Kind kind, byte[] data, boolean partial) {
      this.kind = kind;
      this.data = data;
      this.partial = partial;
    }
  }

  /** Figures shared by every client of a campaign. */
  static final class Figures {
    final AtomicLong uploads = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong regressions = new AtomicLong();
    final AtomicLong failedRequests = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
    final ConcurrentLinkedQueue<Upload> finished = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> stuck = new ConcurrentLinkedQueue<>();
    /** How often each kind of 5xx answer came: method, status and the problem's detail. */
    final java.util.concurrent.ConcurrentHashMap<String, Integer> serverErrorKinds =
        new java.util.concurrent.ConcurrentHashMap<>();
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  private final IntSupplier port;
  private final Random random;
  private final Figures figures;
  private final int maxSize;
  private final int maxChunk;
  private final java.util.function.LongSupplier finishBy;

  /**
   * @param port the port of the server running now (it changes with each restart)
   * @param maxSize the largest upload this client makes
   * @param maxChunk the largest body of one request
   * @param finishBy {@link System#nanoTime()} after which an unfinished upload counts as stuck;
   *     {@link Long#MAX_VALUE} while there is no deadline yet
   */
  CampaignClient(
      IntSupplier port,
      long seed,
      Figures figures,
      int maxSize,
      int maxChunk,
      java.util.function.LongSupplier finishBy) {
    this.port = port;
    this.random = new Random(seed);
    this.figures = figures;
    this.maxSize = maxSize;
    this.maxChunk = maxChunk;
    this.finishBy = finishBy;
  }

  /** Makes uploads one after the other while {@code keepCreating} says so. */
  void run(java.util.function.BooleanSupplier keepCreating) {
    while (keepCreating.getAsBoolean()) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      try {
        if (kind == Kind.CONCATENATION) {
          concatenation();
        } else {
          Upload u = new Upload(kind, bytes(), false);
          drive(u);
        }
      } catch (Stuck e) {
        figures.stuck.add(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private byte[] bytes() {
    byte[] b = new byte[1 + random.nextInt(maxSize)];
    random.nextBytes(b);
    return b;
  }

  /** An upload that did not finish by the deadline, or that the server lost. */
  static final class Stuck extends Exception {
    Stuck(String message) {
      super(message, null, false, false);
    }
  }

  private void concatenation() throws Stuck, InterruptedException {
    Upload a = new Upload(Kind.CONCATENATION, bytes(), true);
    Upload b = new Upload(Kind.CONCATENATION, bytes(), true);
    drive(a);
    drive(b);
    byte[] all = new byte[a.data.length + b.data.length];
    System.arraycopy(a.data, 0, all, 0, a.data.length);
    System.arraycopy(b.data, 0, all, a.data.length, b.data.length);
    Upload fin = new Upload(Kind.CONCATENATION, all, false);
    while (fin.path == null) {
      deadline(fin);
      HttpResponse<String> r =
          send(post().header("Upload-Concat", "final;" + a.path + " " + b.path)
              .POST(HttpRequest.BodyPublishers.noBody()));
      if (r != null && r.statusCode() == 201) {
        fin.path = URI.create(r.headers().firstValue("Location").orElseThrow()).getPath();
      } else {
        pause(r);
      }
    }
    figures.uploads.incrementAndGet();
    fin.acked = all.length;
    fin.complete = true;
    figures.finished.add(fin);
  }

  /** Creates {@code u} (retrying until a server answers) and sends every byte of it. */
  private void drive(Upload u) throws Stuck, InterruptedException {
    create(u);
    while (!u.complete) {
      deadline(u);
      long offset = head(u);
      if (offset < 0) {
        continue; // no answer; asked again
      }
      if (offset == u.data.length && lengthKnown) {
        u.complete = true;
        break;
      }
      patch(u, offset);
    }
    figures.finished.add(u);
  }

  private boolean lengthKnown;

  private void create(Upload u) throws Stuck, InterruptedException {
    lengthKnown = u.kind != Kind.DEFERRED;
    while (u.path == null) {
      deadline(u);
      HttpRequest.Builder r = post();
      if (u.partial) {
        r.header("Upload-Concat", "partial");
      }
      if (u.kind == Kind.DEFERRED) {
        r.header("Upload-Defer-Length", "1");
      } else {
        r.header("Upload-Length", String.valueOf(u.data.length));
      }
      int first = 0;
      if (u.kind == Kind.CREATION_WITH_UPLOAD) {
        first = chunk(0, u.data.length);
        r.header("Content-Type", "application/offset+octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(u.data, 0, first));
      } else {
        r.POST(HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> created = send(r);
      if (created == null || created.statusCode() != 201) {
        pause(created); // a creation that got no answer is forgotten: the client never knew it
        continue;
      }
      u.path = URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
      figures.uploads.incrementAndGet();
      created.headers().firstValue("Upload-Offset").ifPresent(o -> acknowledge(u, Long.parseLong(o)));
    }
  }

  /** The offset a HEAD reports (checked against the acknowledged one), or -1 without an answer. */
  private long head(Upload u) throws Stuck, InterruptedException {
    HttpResponse<String> r =
        send(request(u.path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    if (r == null || r.statusCode() >= 500 || r.statusCode() == 423) {
      pause(r);
      return -1;
    }
    if (r.statusCode() != 200) {
      figures.lost.addAndGet(u.acked);
      throw new Stuck(u.kind + " " + u.path + ": HEAD answered " + r.statusCode() + " after " + u.acked + " acknowledged bytes");
    }
    long offset = Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
    lengthKnown = r.headers().firstValue("Upload-Length").isPresent();
    if (offset < u.acked) {
      figures.regressions.incrementAndGet();
      figures.lost.addAndGet(u.acked - offset);
      u.acked = offset;
    }
    return offset;
  }

  private void patch(Upload u, long offset) throws InterruptedException {
    int from = (int) offset;
    int to = from + chunk(from, u.data.length);
    HttpRequest.Builder r =
        request(u.path)
            .header("Upload-Offset", String.valueOf(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(u.data, from, to - from));
    if (u.kind == Kind.CHECKSUM) {
      r.header("Upload-Checksum", "sha1 " + sha1(Arrays.copyOfRange(u.data, from, to)));
    }
    if (!lengthKnown && to == u.data.length) {
      r.header("Upload-Length", String.valueOf(u.data.length));
    }
    HttpResponse<String> answer = send(r);
    if (answer != null && answer.statusCode() == 204) {
      acknowledge(u, Long.parseLong(answer.headers().firstValue("Upload-Offset").orElseThrow()));
    } else if (answer == null || answer.statusCode() >= 500) {
      pause(answer);
    }
    // 409 and the like: the next HEAD tells where to go on
  }

  private void acknowledge(Upload u, long offset) {
    if (offset > u.acked) {
      figures.acknowledged.addAndGet(offset - u.acked);
      u.acked = offset;
    }
  }

  private int chunk(int from, int length) {
    int remaining = length - from;
    return Math.min(remaining, 64 * 1024 + random.nextInt(maxChunk));
  }

  private HttpRequest.Builder post() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + "/files/"))
        .timeout(REQUEST_TIMEOUT)
        .header("Tus-Resumable", "1.0.0");
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Tus-Resumable", "1.0.0");
  }

  /** The answer, or null if the request got none (the server died, is restarting). */
  private HttpResponse<String> send(HttpRequest.Builder request) throws InterruptedException {
    try {
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 500) {
        figures.serverErrors.incrementAndGet();
        String body = r.body() == null ? "" : r.body().replaceAll("[0-9a-f]{16,}", "<id>");
        String kind = r.request().method() + " " + r.statusCode() + " "
            + body.substring(0, Math.min(240, body.length()));
        figures.serverErrorKinds.merge(kind, 1, Integer::sum);
      }
      return r;
    } catch (IOException e) {
      figures.failedRequests.incrementAndGet();
      return null;
    }
  }

  /** A short wait before the next try, after no answer or a 5xx (longer for a refused one). */
  private void pause(HttpResponse<String> answer) throws InterruptedException {
    Thread.sleep(answer == null ? 100 + random.nextInt(100) : 50);
  }

  private void deadline(Upload u) throws Stuck {
    long by = finishBy.getAsLong();
    if (by != Long.MAX_VALUE && System.nanoTime() - by > 0) {
      throw new Stuck(
          u.kind + " " + (u.path == null ? "(never created)" : u.path) + " unfinished at the deadline: "
              + u.acked + " of " + u.data.length + " bytes acknowledged");
    }
  }

  private static String sha1(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every finished upload whose download differs from what was sent; each as a message. */
  static List<String> verify(IntSupplier port, Iterable<Upload> uploads) throws InterruptedException {
    List<String> wrong = new ArrayList<>();
    for (Upload u : uploads) {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + u.path))
              .timeout(REQUEST_TIMEOUT).build();
      try {
        HttpResponse<byte[]> r = HTTP.send(get, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          wrong.add(u.kind + " " + u.path + ": GET answered " + r.statusCode());
        } else if (!Arrays.equals(r.body(), u.data)) {
          wrong.add(u.kind + " " + u.path + ": " + r.body().length + " bytes differ from the " + u.data.length + " sent");
        }
      } catch (IOException e) {
        wrong.add(u.kind + " " + u.path + ": GET failed: " + e);
      }
    }
    return wrong;
  }
}
