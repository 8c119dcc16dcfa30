package dev.tusk.conformance.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request under construction: request line, header lines in order (repeats allowed), body and
 * how the body is framed. Rendered to the exact bytes sent; a mutation edits it first.
 */
final class Req {
  enum Framing { LENGTH, CHUNKED, NONE }

  String method;
  String target;
  String version = "HTTP/1.1";
  final List<String[]> headers = new ArrayList<>();
  byte[] body = new byte[0];
  Framing framing = Framing.LENGTH;
  /** Chunk sizes to split a chunked body into (the remainder is one more chunk). */
  int chunk = 8192;
  final List<String> trailers = new ArrayList<>();
  /** Raw bytes replacing the rendered body framing (a framing mutation), or null. */
  byte[] rawBody;
  /** Raw bytes replacing the whole request (a garbage request line), or null. */
  byte[] whole;

  Req(String method, String target) {
    this.method = method;
    this.target = target;
    header("Host", "127.0.0.1");
  }

  Req header(String name, Object value) {
    headers.add(new String[] {name, String.valueOf(value)});
    return this;
  }

  Req body(byte[] bytes) {
    body = bytes;
    return this;
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  String value(String name) {
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  void remove(String name) {
    headers.removeIf(h -> h[0].equalsIgnoreCase(name));
  }

  void set(String name, String value) {
    remove(name);
    header(name, value);
  }

  byte[] render() {
    if (whole != null) {
      return whole;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
    for (String[] h : headers) {
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    boolean hasLength = value("Content-Length") != null || value("Transfer-Encoding") != null;
    if (rawBody == null && !hasLength) {
      if (framing == Framing.LENGTH && (body.length > 0 || method.equals("PATCH") || method.equals("POST"))) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      } else if (framing == Framing.CHUNKED) {
        head.append("Transfer-Encoding: chunked\r\n");
      }
    }
    head.append("\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (rawBody != null) {
      out.writeBytes(rawBody);
    } else if (framing == Framing.CHUNKED) {
      out.writeBytes(chunked(body, chunk, trailers));
    } else if (framing == Framing.LENGTH) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  static byte[] chunked(byte[] body, int chunk, List<String> trailers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i += chunk) {
      int n = Math.min(chunk, body.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, i, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    StringBuilder end = new StringBuilder("0\r\n");
    for (String t : trailers) {
      end.append(t).append("\r\n");
    }
    end.append("\r\n");
    out.writeBytes(end.toString().getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** The request as text for a failure report: non-printable bytes escaped, long bodies cut. */
  static String show(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    int limit = Math.min(bytes.length, 1500);
    for (int i = 0; i < limit; i++) {
      int b = bytes[i] & 0xff;
      if (b == '\n') {
        sb.append("\\n\n");
      } else if (b == '\r') {
        sb.append("\\r");
      } else if (b < 0x20 || b >= 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\x%02x", b));
      } else {
        sb.append((char) b);
      }
    }
    if (bytes.length > limit) {
      sb.append("... (").append(bytes.length - limit).append(" more bytes)");
    }
    return sb.toString();
  }
}
