package dev.tusk.server.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The layout of a {@code multipart/byteranges} body (RFC 9110 section 14.6): for each range a
 * delimiter with the part's {@code Content-Type} and {@code Content-Range}, then the range's bytes;
 * a closing delimiter at the end. The bytes of the ranges are not here, only where they go, so
 * the exact {@code Content-Length} is known before anything is sent.
 *
 * @param boundary the boundary, 1 to 70 characters of {@code [A-Za-z0-9'()+_,-./:=?]}
 * @param parts each range with the header bytes that precede it
 * @param closing the bytes after the last range
 * @param contentLength the length of the whole body
 */
public record MultipartByteRanges(
    String boundary, List<Part> parts, byte[] closing, long contentLength) {
  private static final Pattern BOUNDARY = Pattern.compile("[A-Za-z0-9'()+_,\\-./:=?]{1,70}");

  /** One body part: {@code header} is sent, then the bytes of {@code range}. */
  public record Part(byte[] header, ByteRange range) {}

  public MultipartByteRanges {
    parts = List.copyOf(parts);
  }

  /**
   * @param contentType the representation's type, repeated in every part
   * @param completeLength the representation's length, for {@code Content-Range}
   */
  public static MultipartByteRanges of(
      String boundary, String contentType, List<ByteRange> ranges, long completeLength) {
    if (!BOUNDARY.matcher(boundary).matches()) {
      throw new IllegalArgumentException("invalid multipart boundary");
    }
    List<Part> parts = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < ranges.size(); i++) {
      ByteRange r = ranges.get(i);
      String header =
          (i == 0 ? "" : "\r\n")
              + "--" + boundary + "\r\n"
              + "Content-Type: " + contentType + "\r\n"
              + "Content-Range: " + r.contentRange(completeLength) + "\r\n"
              + "\r\n";
      byte[] bytes = header.getBytes(StandardCharsets.US_ASCII);
      parts.add(new Part(bytes, r));
      total += bytes.length + r.length();
    }
    byte[] closing = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    return new MultipartByteRanges(boundary, parts, closing, total + closing.length);
  }

  /** The response's {@code Content-Type}. */
  public String contentType() {
    return "multipart/byteranges; boundary=" + boundary;
  }
}
