package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

/**
 * The tus requests most tests repeat, over a {@link TuskFixture}'s HTTP API only. Upload references
 * are paths ({@code /files/<id>}) taken from the {@code Location} the server handed out.
 */
final class Uploads {
  static final String OCTETS = "application/offset+octet-stream";

  private Uploads() {}

  /** Creates an upload of {@code length} bytes and returns its path; asserts 201. */
  static String create(TuskFixture tusk, long length) {
    Response r = tusk.tus().header("Upload-Length", length).post("/files/");
    assertThat(r.statusCode()).as("creation status").isEqualTo(201);
    return path(r.header("Location"));
  }

  /** Creates an upload with {@code Upload-Metadata} and returns its path; asserts 201. */
  static String create(TuskFixture tusk, long length, String metadata) {
    Response r =
        tusk.tus()
            .header("Upload-Length", length)
            .header("Upload-Metadata", metadata)
            .post("/files/");
    assertThat(r.statusCode()).as("creation status").isEqualTo(201);
    return path(r.header("Location"));
  }

  /** Creates an upload with {@code Upload-Defer-Length: 1} and returns its path; asserts 201. */
  static String createDeferred(TuskFixture tusk) {
    Response r = tusk.tus().header("Upload-Defer-Length", 1).post("/files/");
    assertThat(r.statusCode()).as("creation status").isEqualTo(201);
    return path(r.header("Location"));
  }

  /** Creates a partial upload of deferred length and returns its path; asserts 201. */
  static String createDeferredPartial(TuskFixture tusk) {
    Response r =
        tusk.tus().header("Upload-Defer-Length", 1).header("Upload-Concat", "partial").post("/files/");
    assertThat(r.statusCode()).as("creation status").isEqualTo(201);
    return path(r.header("Location"));
  }

  /** A PATCH of {@code body} at {@code offset}. */
  static Response patch(TuskFixture tusk, String path, long offset, byte[] body) {
    return tusk.tus().contentType(OCTETS).header("Upload-Offset", offset).body(body).patch(path);
  }

  /** PATCHes {@code body} at {@code offset} and asserts 204 with the new offset. */
  static void append(TuskFixture tusk, String path, long offset, byte[] body) {
    Response r = patch(tusk, path, offset, body);
    assertThat(r.statusCode()).as("PATCH status, body %s", r.asString()).isEqualTo(204);
    assertThat(r.header("Upload-Offset")).isEqualTo(String.valueOf(offset + body.length));
  }

  /** The {@code Upload-Offset} a HEAD answers; asserts 200. */
  static long offset(TuskFixture tusk, String path) {
    Response r = tusk.tus().head(path);
    assertThat(r.statusCode()).as("HEAD status").isEqualTo(200);
    return Long.parseLong(r.header("Upload-Offset"));
  }

  /** The bytes of a complete upload (GET); asserts 200. */
  static byte[] download(TuskFixture tusk, String path) {
    Response r = tusk.http().get(path);
    assertThat(r.statusCode()).as("GET status").isEqualTo(200);
    return r.asByteArray();
  }

  /** The path of an absolute or relative upload URL. */
  static String path(String location) {
    assertThat(location).as("Location").isNotNull();
    return URI.create(location).getPath();
  }

  /** {@code n} pseudo-random bytes, the same for the same seed. */
  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code <algorithm> <base64 digest>} as {@code Upload-Checksum} wants it. */
  static String checksum(String tusName, String jcaName, byte[] body) {
    return tusName + " " + Base64.getEncoder().encodeToString(digest(jcaName, body));
  }

  static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest("SHA-256", data));
  }

  private static byte[] digest(String jcaName, byte[] data) {
    try {
      return MessageDigest.getInstance(jcaName).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code a} followed by {@code b}. */
  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
