package dev.tusk.conformance.fuzz;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The fuzzer's request generator: from one seeded {@link Random}, valid tus requests (creation,
 * PATCH, HEAD, GET with Range, DELETE, concatenation, the single-request upload), the same with
 * mutated headers, mutated framing (Content-Length, chunked coding, truncated bodies, garbage
 * request lines) and concatenation and Range abuse. It follows the uploads it created through the
 * answers, so that most PATCHes hit a real upload at its real offset.
 *
 * <p>Two classes of requests that trip defects owned elsewhere can be switched off for a run:
 * {@code declaredTypes} (unusual declared content types) and {@code overflow} (lengths whose sum
 * or ttl overflow a long). Both are on by default.
 */
final class Probes {
  /** One request and what the fuzzer must see for it. */
  record Probe(String kind, Req req, boolean mustAnswer, boolean halfClose, Consumer<Wire.Reply> learn) {
    Probe(String kind, Req req) {
      this(kind, req, true, false, r -> {});
    }
  }

  /** An upload the generator knows of. */
  static final class Known {
    final String path;
    long length; // -1: deferred
    long offset;
    final boolean partial;
    boolean stale;

    Known(String path, long length, long offset, boolean partial) {
      this.path = path;
      this.length = length;
      this.offset = offset;
      this.partial = partial;
    }
  }

  static final String OCTETS = "application/offset+octet-stream";
  private static final String[] TYPES = {"text/plain", "image/png", "application/pdf",
      "application/octet-stream", "text/html; charset=utf-8"};
  private static final String[] ODD_TYPES = {";", "", " ", "a/b;", "text/plain;;", "/", "x/",
      "text/html; charset=\"", "*/*", "text/plain; q=1.0; a=\"b\\\"c\"", "\u00e9/\u00e8", "a\tb/c"};

  final Random rnd;
  private final String auth;
  private final String otherAuth;
  private final boolean declaredTypes;
  private final boolean overflow;
  final List<Known> uploads = new ArrayList<>();
  private final Mutations mutations;

  /**
   * @param auth the Authorization value of the fuzzing client, null without access control
   * @param otherAuth another owner's Authorization value, null without access control
   */
  Probes(long seed, String auth, String otherAuth, boolean declaredTypes, boolean overflow) {
    this.rnd = new Random(seed);
    this.auth = auth;
    this.otherAuth = otherAuth;
    this.declaredTypes = declaredTypes;
    this.overflow = overflow;
    this.mutations = new Mutations(this, auth, otherAuth, overflow);
  }

  Probe next() {
    int r = rnd.nextInt(100);
    if (r < 45) {
      return valid();
    } else if (r < 65) {
      return mutations.headers(valid());
    } else if (r < 80) {
      return mutations.framing(valid());
    } else if (r < 90) {
      return mutations.abuse();
    }
    return mutations.misc();
  }

  Probe valid() {
    int r = rnd.nextInt(100);
    if (uploads.isEmpty() || r < 15) {
      return create();
    } else if (r < 40) {
      return patch(pick());
    } else if (r < 50) {
      return head(pick());
    } else if (r < 62) {
      return get(pick());
    } else if (r < 66) {
      return new Probe("details", request("GET", pick().path + "/details"));
    } else if (r < 71) {
      return delete(pick());
    } else if (r < 75) {
      Req q = request("OPTIONS", "/files/");
      if (rnd.nextBoolean()) {
        q.header("Origin", "https://app.example").header("Access-Control-Request-Method", "PATCH");
      }
      return new Probe("options", q);
    } else if (r < 88) {
      return concat();
    } else if (r < 95) {
      return simpleUpload();
    }
    String[] targets = {"/metrics", "/health/live", "/health/ready"};
    return new Probe("management", request(rnd.nextBoolean() ? "GET" : "HEAD",
        targets[rnd.nextInt(targets.length)]));
  }

  Known pick() {
    return uploads.get(rnd.nextInt(uploads.size()));
  }

  /** A request with Tus-Resumable and the client's credentials. */
  Req request(String method, String target) {
    Req q = new Req(method, target).header("Tus-Resumable", "1.0.0");
    if (auth != null) {
      q.header("Authorization", auth);
    }
    return q;
  }

  Probe create() {
    boolean defer = rnd.nextInt(6) == 0;
    long length = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(70_000);
    Req q = request("POST", "/files/");
    q.header(defer ? "Upload-Defer-Length" : "Upload-Length", defer ? 1 : length);
    if (rnd.nextBoolean()) {
      q.header("Upload-Metadata", metadata());
    }
    if (!defer && length > 0 && rnd.nextInt(4) == 0) {
      q.header("Content-Type", OCTETS).body(bytes(1 + rnd.nextInt((int) length)));
      if (rnd.nextInt(3) == 0) {
        q.header("Upload-Checksum", checksum(q.body, rnd.nextInt(4) != 0));
      }
    }
    long declared = defer ? -1 : length;
    return new Probe("create", q, true, false, reply -> learnCreated(reply, declared, false));
  }

  void learnCreated(Wire.Reply reply, long length, boolean partial) {
    String location = reply.header("Location");
    if (reply.status() == 201 && location != null) {
      String offset = reply.header("Upload-Offset");
      uploads.add(new Known(URI.create(location).getPath(), length,
          offset == null ? 0 : Long.parseLong(offset), partial));
      if (uploads.size() > 60) {
        uploads.remove(0);
      }
    }
  }

  String metadata() {
    StringBuilder sb = new StringBuilder("filename ").append(b64("file-" + rnd.nextInt(1000) + ".bin"));
    if (rnd.nextBoolean()) {
      String type = declaredTypes && rnd.nextInt(3) == 0
          ? ODD_TYPES[rnd.nextInt(ODD_TYPES.length)]
          : TYPES[rnd.nextInt(TYPES.length)];
      sb.append(",filetype ").append(b64(type));
    }
    if (rnd.nextInt(5) == 0) {
      sb.append(",empty");
    }
    return sb.toString();
  }

  Probe patch(Known k) {
    if (k.stale) {
      return head(k);
    }
    long remaining = k.length < 0 ? 50_000 : k.length - k.offset;
    int size = (int) Math.min(remaining, rnd.nextInt(40_000));
    long offset = rnd.nextInt(10) == 0 ? Math.max(0, k.offset + rnd.nextInt(7) - 3) : k.offset;
    Req q;
    if (rnd.nextInt(8) == 0) {
      q = request("POST", k.path).header("X-HTTP-Method-Override", "PATCH");
    } else {
      q = request("PATCH", k.path);
    }
    q.header("Upload-Offset", offset).header("Content-Type", OCTETS).body(bytes(size));
    if (k.length < 0 && rnd.nextInt(3) == 0) {
      q.header("Upload-Length", k.offset + size + rnd.nextInt(3) * 1000);
    }
    if (rnd.nextInt(4) == 0) {
      q.framing = Req.Framing.CHUNKED;
      q.chunk = 1 + rnd.nextInt(20_000);
      if (rnd.nextInt(3) == 0) {
        q.header("Trailer", "Upload-Checksum");
        q.trailers.add("Upload-Checksum: " + checksum(q.body, rnd.nextInt(4) != 0));
      }
    } else if (rnd.nextInt(4) == 0) {
      q.header("Upload-Checksum", checksum(q.body, rnd.nextInt(4) != 0));
    }
    if (rnd.nextInt(10) == 0) {
      q.header("Expect", "100-continue");
    }
    return new Probe("patch", q, true, false, reply -> learnOffset(k, reply));
  }

  void learnOffset(Known k, Wire.Reply reply) {
    String offset = reply.header("Upload-Offset");
    if ((reply.status() == 204 || reply.status() == 200) && offset != null) {
      k.offset = Long.parseLong(offset);
      k.stale = false;
      String length = reply.header("Upload-Length");
      if (length != null) {
        k.length = Long.parseLong(length);
      }
    } else if (reply.status() == 404 || reply.status() == 410) {
      uploads.remove(k);
    } else if (reply.status() != 409 && reply.status() != 460) {
      k.stale = true;
    }
  }

  Probe head(Known k) {
    return new Probe("head", request("HEAD", k.path), true, false, reply -> learnOffset(k, reply));
  }

  Probe get(Known k) {
    Req q = request("GET", k.path);
    if (rnd.nextInt(3) != 0) {
      q.header("Range", mutations.range(k.length < 0 ? 1000 : k.length));
    }
    if (rnd.nextInt(8) == 0) {
      q.header("If-Range", rnd.nextBoolean() ? "\"x\"" : "Sun, 06 Nov 1994 08:49:37 GMT");
    }
    return new Probe("get", q);
  }

  Probe delete(Known k) {
    return new Probe("delete", request("DELETE", k.path), true, false, reply -> {
      if (reply.status() == 204 || reply.status() == 404) {
        uploads.remove(k);
      }
    });
  }

  /** A partial upload, or a final one over partials that are complete. */
  Probe concat() {
    List<Known> done = uploads.stream().filter(k -> k.partial && k.offset == k.length).toList();
    if (done.size() < 2 || rnd.nextInt(3) == 0) {
      long length = rnd.nextInt(5_000);
      if (overflow && rnd.nextInt(10) == 0) {
        length = Long.MAX_VALUE;
      }
      long declared = length;
      Req q = request("POST", "/files/").header("Upload-Concat", "partial").header("Upload-Length", length);
      if (length > 0 && length < 5_000 && rnd.nextBoolean()) {
        q.header("Content-Type", OCTETS).body(bytes((int) length));
      }
      return new Probe("partial", q, true, false, reply -> learnCreated(reply, declared, true));
    }
    StringBuilder list = new StringBuilder("final;");
    int n = 2 + rnd.nextInt(Math.min(4, done.size() - 1));
    for (int i = 0; i < n; i++) {
      list.append(i == 0 ? "" : " ").append(done.get(rnd.nextInt(done.size())).path);
    }
    Req q = request("POST", "/files/").header("Upload-Concat", list.toString());
    return new Probe("final", q, true, false, reply -> {
      if (reply.status() == 201 && reply.header("Location") != null) {
        String path = URI.create(reply.header("Location")).getPath();
        String length = reply.header("Upload-Length");
        Known k = new Known(path, length == null ? -1 : Long.parseLong(length), 0, false);
        k.stale = true;
        uploads.add(k);
      }
    });
  }

  /** The single-request upload: a plain POST of the whole file. */
  Probe simpleUpload() {
    Req q = new Req("POST", "/files/?filename=f" + rnd.nextInt(100) + ".txt");
    if (auth != null) {
      q.header("Authorization", auth);
    }
    String type = declaredTypes && rnd.nextInt(3) == 0
        ? ODD_TYPES[rnd.nextInt(ODD_TYPES.length)]
        : TYPES[rnd.nextInt(TYPES.length)];
    q.header("Content-Type", type).body(bytes(rnd.nextInt(30_000)));
    if (rnd.nextInt(4) == 0) {
      q.framing = Req.Framing.CHUNKED;
      q.chunk = 1 + rnd.nextInt(10_000);
    }
    return new Probe("simple", q);
  }

  byte[] bytes(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  String checksum(byte[] body, boolean right) {
    String[][] algorithms = {{"sha1", "SHA-1"}, {"md5", "MD5"}, {"sha256", "SHA-256"}};
    String[] a = algorithms[rnd.nextInt(algorithms.length)];
    try {
      byte[] digest = MessageDigest.getInstance(a[1]).digest(right ? body : bytes(3));
      return a[0] + " " + Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  String otherAuth() {
    return otherAuth;
  }
}
