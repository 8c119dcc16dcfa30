package dev.tusk.server.protocol;

/**
 * A satisfiable byte range of a representation: {@code first} to {@code last}, both inclusive,
 * {@code 0 <= first <= last}.
 */
public record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("invalid byte range " + first + "-" + last);
    }
  }

  /** How many bytes the range covers. */
  public long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} value: {@code bytes first-last/completeLength}. */
  public String contentRange(long completeLength) {
    return "bytes " + first + "-" + last + "/" + completeLength;
  }
}
