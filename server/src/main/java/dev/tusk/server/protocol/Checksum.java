package dev.tusk.server.protocol;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.Base64;

/** A parsed {@code Upload-Checksum} header: an algorithm and the expected digest. */
public record Checksum(ChecksumAlgorithm algorithm, byte[] expected) {

  /**
   * tus: "The Upload-Checksum request header contains information about the checksum of the
   * current body payload. The header MUST consist of the name of the used checksum algorithm and
   * the Base64 encoded checksum separated by a space." An unsupported algorithm is a 400.
   */
  public static Checksum parse(String header) {
    String value = header.trim();
    int space = value.indexOf(' ');
    if (space <= 0 || space == value.length() - 1) {
      throw new TusException(
          ErrorCode.INVALID_CHECKSUM_HEADER,
          "Upload-Checksum must be '<algorithm> <base64 digest>'");
    }
    String name = value.substring(0, space);
    ChecksumAlgorithm algorithm =
        ChecksumAlgorithm.byTusName(name)
            .orElseThrow(
                () ->
                    new TusException(
                        ErrorCode.UNSUPPORTED_CHECKSUM_ALGORITHM,
                        "checksum algorithm '" + name.replaceAll("[^\\x21-\\x7e]", "?")
                            + "' is not supported; use one of " + ChecksumAlgorithm.ADVERTISED));
    try {
      return new Checksum(algorithm, Base64.getDecoder().decode(value.substring(space + 1).trim()));
    } catch (IllegalArgumentException e) {
      throw new TusException(
          ErrorCode.INVALID_CHECKSUM_HEADER, "Upload-Checksum digest is not valid base64");
    }
  }
}
