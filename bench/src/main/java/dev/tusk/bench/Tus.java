package dev.tusk.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tus 1.0 requests the scenarios need, on one {@link HttpConnection}. Each sets the connection's
 * deadline from the bytes it moves and fails with an {@link IOException} naming the request and the
 * response when the status is not the one tus prescribes.
 */
final class Tus {
  static final String OCTETS = "Content-Type: application/offset+octet-stream";
  private static final String RESUMABLE = "Tus-Resumable: 1.0.0";

  private Tus() {}

  /** Generous per-request timeout: 30 s plus 1 s per 10 MB moved. */
  static Duration timeoutFor(long bytes) {
    return Duration.ofSeconds(30 + bytes / 10_000_000L);
  }

  /** The server's Tus-Extension list from OPTIONS on the collection. */
  static Set<String> extensions(HttpConnection c, Target t) throws IOException {
    c.deadline(timeoutFor(0));
    HttpResponse r = c.exchange(c.requestHead("OPTIONS", t.collection()), null, 0, 0, false);
    expect(r, "OPTIONS " + t.collection(), 200, 204);
    String value = r.header("Tus-Extension");
    return value == null
        ? Set.of()
        : Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.toSet());
  }

  /**
   * Creates an upload of {@code length} bytes, sending the first {@code bodyLength} bytes of the
   * payload stream from {@code payloadOffset} in the same request (creation-with-upload) when
   * bodyLength &gt; 0. Returns the upload's path and the offset the server reports.
   */
  static Created create(HttpConnection c, Target t, long length, Payload payload,
      long payloadOffset, long bodyLength) throws IOException {
    c.deadline(timeoutFor(bodyLength));
    byte[] head =
        bodyLength > 0
            ? c.requestHead("POST", t.collection(), RESUMABLE, "Upload-Length: " + length, OCTETS,
                "Content-Length: " + bodyLength)
            : c.requestHead("POST", t.collection(), RESUMABLE, "Upload-Length: " + length,
                "Content-Length: 0");
    HttpResponse r = c.exchange(head, payload, payloadOffset, bodyLength, false);
    expect(r, "POST " + t.collection(), 201);
    String location = r.header("Location");
    if (location == null) {
      throw new IOException("POST " + t.collection() + " answered 201 without Location");
    }
    long offset = r.longHeader("Upload-Offset");
    return new Created(path(location, t.collection()), Math.max(0, offset));
  }

  /** Appends {@code length} payload bytes at {@code offset}; returns the new offset. */
  static long patch(HttpConnection c, String path, long offset, Payload payload, long length)
      throws IOException {
    return patch(c, path, offset, payload, offset, length);
  }

  /**
   * Appends {@code length} bytes of the payload stream from {@code payloadOffset} at upload offset
   * {@code offset}; returns the new offset.
   */
  static long patch(HttpConnection c, String path, long offset, Payload payload,
      long payloadOffset, long length) throws IOException {
    c.deadline(timeoutFor(length));
    byte[] head = c.requestHead("PATCH", path, RESUMABLE, "Upload-Offset: " + offset, OCTETS,
        "Content-Length: " + length);
    HttpResponse r = c.exchange(head, payload, payloadOffset, length, false);
    expect(r, "PATCH " + path, 204);
    long newOffset = r.longHeader("Upload-Offset");
    if (newOffset != offset + length) {
      throw new IOException("PATCH " + path + " at " + offset + " of " + length
          + " bytes answered Upload-Offset " + newOffset);
    }
    return newOffset;
  }

  /** Creates an upload and sends all of it in PATCHes of at most {@code chunk} bytes. */
  static String upload(HttpConnection c, Target t, long length, Payload payload, long chunk)
      throws IOException {
    String path = create(c, t, length, payload, 0, 0).path();
    long offset = 0;
    while (offset < length) {
      offset = patch(c, path, offset, payload, Math.min(chunk, length - offset));
    }
    return path;
  }

  /** Terminates an upload (the termination extension): DELETE, expecting 204. */
  static void delete(HttpConnection c, String path) throws IOException {
    c.deadline(Duration.ofSeconds(30));
    HttpResponse r = c.exchange(c.requestHead("DELETE", path, RESUMABLE), null, 0, 0, false);
    expect(r, "DELETE " + path, 204);
  }

  static byte[] headRequest(HttpConnection c, String path) {
    return c.requestHead("HEAD", path, RESUMABLE);
  }

  static void expect(HttpResponse r, String request, int... statuses) throws IOException {
    for (int s : statuses) {
      if (r.status == s) {
        return;
      }
    }
    throw new IOException(request + " answered " + r);
  }

  /** The path of a Location value: absolute URL, absolute path, or relative to the collection. */
  static String path(String location, String collection) {
    if (location.startsWith("http://") || location.startsWith("https://")) {
      int slash = location.indexOf('/', location.indexOf("//") + 2);
      return slash < 0 ? "/" : location.substring(slash);
    }
    if (location.startsWith("/")) {
      return location;
    }
    return (collection.endsWith("/") ? collection : collection + "/") + location;
  }

  /** A created upload: its path and the offset the creation response reported (0 if none). */
  record Created(String path, long offset) {}
}
