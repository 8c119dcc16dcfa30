package dev.tusk.conformance.fuzz;

import dev.tusk.conformance.fuzz.Probes.Known;
import dev.tusk.conformance.fuzz.Probes.Probe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** How the fuzzer breaks requests: header values, framing, concatenation lists and ranges. */
final class Mutations {
  private static final String[] TUS_HEADERS = {"Upload-Length", "Upload-Offset",
      "Upload-Defer-Length", "Upload-Metadata", "Upload-Concat", "Upload-Checksum",
      "Tus-Resumable", "Content-Type", "X-HTTP-Method-Override", "Range", "If-Range",
      "If-None-Match", "If-Modified-Since", "Trailer", "Origin", "Forwarded", "X-Forwarded-Host",
      "Authorization", "Expect", "Upload-Expires"};
  /** Values without control characters: every request they are put in stays valid HTTP/1.1. */
  private static final String[] NASTY = {"", " ", "0", "-1", "-0", "+1", "1e3", "0x10", "abc",
      "18446744073709551616", "9223372036854775807", "9223372036854775808",
      "99999999999999999999999999", "1.5", "NaN", "null", "\u00e9\u00e8\u00ff", "1.0.0, 1.0.0",
      "final;", "final; ", "partial", "partial;", "final;/files/", "final;/files/a /files/b",
      "final;../../etc/passwd", "sha1", "sha1 ", "sha1 !!!", "md5 AAAA", "crc32 AAAAAA==",
      "bytes=0-", "bytes=-0", "bytes=", "bytes=5-1", "a YQ==,a YQ==", "k %%%", ",,,", "k",
      "GET", "DELETE", "PATCH", "TRACE", "CONNECT", "100-continue", "Bearer", "Bearer x",
      "Basic Zm9vOmJhcg==", "\"\"", "*", "W/\"x\"", "Upload-Checksum, Foo",
      "for=\"[::1]\";proto=https;host=evil", "x".repeat(3000), "a,".repeat(500)};

  private final Probes probes;
  private final Random rnd;
  private final String auth;
  private final String otherAuth;
  private final boolean overflow;

  Mutations(Probes probes, String auth, String otherAuth, boolean overflow) {
    this.probes = probes;
    this.rnd = probes.rnd;
    this.auth = auth;
    this.otherAuth = otherAuth;
    this.overflow = overflow;
  }

  /** One to three header mutations; the request stays syntactically valid. */
  Probe headers(Probe base) {
    Req q = base.req();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      int r = rnd.nextInt(8);
      String name = TUS_HEADERS[rnd.nextInt(TUS_HEADERS.length)];
      String existing = q.headers.size() > 1
          ? q.headers.get(1 + rnd.nextInt(q.headers.size() - 1))[0] : name;
      switch (r) {
        case 0 -> q.header(existing, q.value(existing) != null && rnd.nextBoolean()
            ? q.value(existing) : nasty()); // repeated
        case 1 -> q.remove(existing);
        case 2 -> q.set(existing, nasty());
        case 3 -> q.header(name, nasty());
        case 4 -> {
          String value = q.value(existing);
          q.remove(existing);
          q.header(rnd.nextBoolean() ? existing.toUpperCase() : existing.toLowerCase(), value == null ? "" : value);
        }
        case 5 -> q.set("Tus-Resumable", rnd.nextBoolean() ? "0.2.2" : nasty());
        case 6 -> {
          if (auth != null) {
            int a = rnd.nextInt(3);
            if (a == 0) {
              q.remove("Authorization");
            } else {
              q.set("Authorization", a == 1 ? otherAuth : nasty());
            }
          } else {
            q.header("X-HTTP-Method-Override", nasty());
          }
        }
        default -> q.header("X-Fuzz-" + rnd.nextInt(1000), nasty());
      }
    }
    return new Probe("headers/" + base.kind(), q, true, false, base.learn());
  }

  String nasty() {
    return NASTY[rnd.nextInt(NASTY.length)];
  }

  /** Breaks how the body is framed; the server must answer or close, never 5xx or hang. */
  Probe framing(Probe base) {
    Req q = base.req();
    byte[] body = q.body.length > 0 ? q.body : probes.bytes(1 + rnd.nextInt(5000));
    int r = rnd.nextInt(9);
    switch (r) {
      case 0 -> { // a length beyond a long: answered at once, connection closed
        q.header("Content-Length", rnd.nextBoolean() ? "18446744073709551616" : "9".repeat(20 + rnd.nextInt(30)));
        q.rawBody = new byte[0];
        return new Probe("framing/huge-length", q, true, false, r2 -> {});
      }
      case 1 -> { // not a number: Undertow refuses it while parsing
        q.header("Content-Length", new String[] {"abc", "-1", "+5", "5 5", "0x10", "1,2"}[rnd.nextInt(6)]);
        q.rawBody = body;
        return new Probe("framing/bad-length", q, false, true, r2 -> {});
      }
      case 2 -> { // both Content-Length and Transfer-Encoding
        q.header("Content-Length", body.length).header("Transfer-Encoding", "chunked");
        q.rawBody = Req.chunked(body, 1000, List.of());
        return new Probe("framing/length-and-chunked", q, false, true, r2 -> {});
      }
      case 3 -> { // a body shorter than announced, then the client stops sending
        q.header("Content-Length", body.length + 1 + rnd.nextInt(100_000));
        q.rawBody = body;
        return new Probe("framing/truncated", q, false, true, base.learn());
      }
      case 4, 5 -> { // a chunked body whose end is malformed in a way that must be answered
        String[] ends = {"0\r\nUpload-Ch\u00e9cksum: x\r\n\r\n", "0\r\n\u00ff: x\r\n\r\n",
            "0\r\nno colon\r\n\r\n", "fffffffffffffffffffff\r\n", "0\r\n:\r\nX\r\n\r\n"};
        q.header("Transfer-Encoding", "chunked");
        byte[] chunks = Req.chunked(body, 1 + rnd.nextInt(4000), List.of());
        byte[] end = ends[rnd.nextInt(ends.length)].getBytes(StandardCharsets.ISO_8859_1);
        q.rawBody = concat(chunks, chunks.length - 5, end); // replaces "0\r\n\r\n"
        return new Probe("framing/bad-chunked", q, true, true, base.learn());
      }
      case 6 -> { // chunked framing cut or garbled mid-way
        q.header("Transfer-Encoding", "chunked");
        byte[] chunks = Req.chunked(body, 1 + rnd.nextInt(4000), List.of());
        String[] garbage = {"zz\r\n", "-5\r\n", " 5\r\nhello\r\n", "5\r\nhel", "5;\u0001x\r\nhello\r\n",
            "5\r\nhelloXY\r\n0\r\n\r\n", "\r\n\r\n"};
        byte[] g = garbage[rnd.nextInt(garbage.length)].getBytes(StandardCharsets.ISO_8859_1);
        q.rawBody = concat(chunks, rnd.nextInt(chunks.length), g);
        return new Probe("framing/garbled-chunked", q, false, true, base.learn());
      }
      case 7 -> { // transfer codings the server does not know
        q.header("Transfer-Encoding", new String[] {"gzip, chunked", "chunked, chunked", "identity",
            "chunked;x=1", "CHUNKED"}[rnd.nextInt(5)]);
        q.rawBody = Req.chunked(body, 1000, List.of());
        return new Probe("framing/coding", q, false, true, base.learn());
      }
      default -> { // a huge length on a request that normally has no body
        Req g = probes.request(new String[] {"HEAD", "GET", "OPTIONS", "DELETE"}[rnd.nextInt(4)],
            new String[] {"/files/", "/metrics", "/health/ready", "/nowhere",
                probes.uploads.isEmpty() ? "/files/x" : probes.pick().path}[rnd.nextInt(5)]);
        g.header("Content-Length", "1" + "0".repeat(19 + rnd.nextInt(10)));
        return new Probe("framing/huge-length-nobody", g, true, false, r2 -> {});
      }
    }
  }

  private static byte[] concat(byte[] a, int cut, byte[] b) {
    int n = Math.max(0, Math.min(cut, a.length));
    byte[] out = new byte[n + b.length];
    System.arraycopy(a, 0, out, 0, n);
    System.arraycopy(b, 0, out, n, b.length);
    return out;
  }

  /** Concatenation lists and ranges that no client should send. */
  Probe abuse() {
    int r = rnd.nextInt(overflow ? 6 : 5);
    if (r == 0 || probes.uploads.isEmpty()) {
      StringBuilder list = new StringBuilder("final;");
      int n = rnd.nextInt(3) == 0 ? 200 : 1 + rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        list.append(i == 0 ? "" : " ").append(probes.uploads.isEmpty() || rnd.nextInt(4) == 0
            ? "/files/" + Long.toHexString(rnd.nextLong()) : probes.pick().path);
      }
      return new Probe("abuse/final", probes.request("POST", "/files/").header("Upload-Concat", list.toString()));
    } else if (r == 1) {
      Known k = probes.pick();
      String list = ("final;" + (k.path + " ").repeat(1 + rnd.nextInt(60))).trim();
      return new Probe("abuse/final-repeat", probes.request("POST", "/files/").header("Upload-Concat", list));
    } else if (r == 2 || r == 3) {
      Req q = probes.request("GET", probes.pick().path);
      q.header("Range", abusiveRange());
      return new Probe("abuse/range", q);
    } else if (r == 4) {
      Known k = probes.pick();
      Req q = probes.request("PATCH", k.path).header("Upload-Offset", k.offset)
          .header("Content-Type", Probes.OCTETS).header("Upload-Concat", "final;" + k.path);
      q.body(probes.bytes(10));
      return new Probe("abuse/patch-concat", q);
    }
    List<Known> huge = probes.uploads.stream().filter(k -> k.partial && k.length == Long.MAX_VALUE).toList();
    if (huge.isEmpty()) {
      return probes.concat();
    }
    String list = "final;" + huge.get(0).path + " " + huge.get(rnd.nextInt(huge.size())).path;
    return new Probe("abuse/final-overflow", probes.request("POST", "/files/").header("Upload-Concat", list));
  }

  String range(long length) {
    long a = length <= 0 ? 0 : (long) (rnd.nextDouble() * length);
    long b = a + rnd.nextInt(5000);
    return switch (rnd.nextInt(6)) {
      case 0 -> "bytes=" + a + "-";
      case 1 -> "bytes=" + a + "-" + b;
      case 2 -> "bytes=-" + (1 + rnd.nextInt(5000));
      case 3 -> "bytes=0-0," + a + "-" + b;
      case 4 -> "bytes=" + b + "-" + a;
      default -> abusiveRange();
    };
  }

  private String abusiveRange() {
    return switch (rnd.nextInt(8)) {
      case 0 -> "bytes=" + "0-0,".repeat(300) + "1-1";
      case 1 -> "bytes=18446744073709551616-";
      case 2 -> "bytes=0-9223372036854775807";
      case 3 -> "bytes=-9223372036854775808";
      case 4 -> "bytes= 1 - 2 ";
      case 5 -> "items=0-1";
      case 6 -> "bytes=" + "1-2,".repeat(50) + "0-";
      default -> "bytes=9223372036854775806-9223372036854775807";
    };
  }

  /** Odd request lines, targets and methods. */
  Probe misc() {
    int r = rnd.nextInt(8);
    switch (r) {
      case 0 -> {
        byte[] junk = probes.bytes(1 + rnd.nextInt(200));
        byte[] line = concat(junk, junk.length, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return new Probe("misc/garbage", rawRequest(line), false, true, r2 -> {});
      }
      case 1 -> {
        return new Probe("misc/method", probes.request(new String[] {"FOO", "PUT", "TRACE", "PROPFIND", "CONNECT"}[rnd.nextInt(5)], "/files/"));
      }
      case 2 -> {
        Req q = probes.request("HEAD", probes.uploads.isEmpty() ? "/files/x" : probes.pick().path);
        q.version = "HTTP/1.0";
        return new Probe("misc/http10", q);
      }
      case 3 -> {
        String[] targets = {"/files/../etc/passwd", "/files/%2e%2e/%2e%2e/x", "/files/%00", "/files//",
            "/files/" + "a".repeat(4000), "/files/x?" + "q=1&".repeat(300), "/files/%zz", "//files/",
            "/files/x/details/y", "/files/\u00e9"};
        return new Probe("misc/target", probes.request(rnd.nextBoolean() ? "GET" : "HEAD", targets[rnd.nextInt(targets.length)]));
      }
      case 4 -> {
        Req q = probes.request("GET", "http://127.0.0.1/files/");
        return new Probe("misc/absolute", q);
      }
      case 5 -> {
        Req q = probes.request("GET", "/metrics");
        q.header("Accept", "application/openmetrics-text; version=1.0.0");
        return new Probe("misc/metrics", q);
      }
      case 6 -> {
        Req q = new Req("PATCH", probes.uploads.isEmpty() ? "/files/x" : probes.pick().path);
        q.header("Content-Type", Probes.OCTETS).header("Upload-Offset", "0").body(probes.bytes(10));
        return new Probe("misc/no-version", q);
      }
      default -> {
        String ttl = overflow && rnd.nextBoolean()
            ? new String[] {"9223372036854775807", "99999999999h", "106751991167301d"}[rnd.nextInt(3)]
            : new String[] {"1s", "-5m", "abc", "0", "1h"}[rnd.nextInt(5)];
        Req q = probes.request("POST", "/files/").header("Upload-Length", "5")
            .header("Upload-Metadata", "ttl " + Probes.b64(ttl));
        return new Probe("misc/ttl", q);
      }
    }
  }

  private static Req rawRequest(byte[] bytes) {
    Req q = new Req("", "");
    q.whole = bytes;
    return q;
  }
}
