package dev.tusk.server.handlers;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.server.protocol.Checksum;
import dev.tusk.server.protocol.ChecksumAlgorithm;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.util.HeaderMap;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The digests of one request body, for tus checksum: the announced algorithm, or every algorithm
 * when the checksum arrives as a trailer. Not thread-safe: used by the pump's running task only.
 */
final class BodyDigests {
  private final Optional<Checksum> checksum;
  private final Map<ChecksumAlgorithm, MessageDigest> digests = new EnumMap<>(ChecksumAlgorithm.class);

  /**
   * @param checksum the {@code Upload-Checksum} header, if any
   * @param trailer the checksum arrives as a trailer (every algorithm is computed)
   */
  BodyDigests(Optional<Checksum> checksum, boolean trailer) {
    this.checksum = checksum;
    checksum.ifPresent(c -> digests.put(c.algorithm(), c.algorithm().newDigest()));
    if (checksum.isEmpty() && trailer) {
      for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
        digests.put(a, a.newDigest());
      }
    }
  }

  /** True if the body is checked: its bytes are then provisional until verified. */
  boolean verifies() {
    return !digests.isEmpty();
  }

  /** Adds the buffer's remaining bytes, leaving its position alone. */
  void update(ByteBuffer bytes) {
    for (MessageDigest d : digests.values()) {
      d.update(bytes.duplicate());
    }
  }

  /**
   * Checks the body against the header or the trailer of {@code exchange}; nothing to check
   * passes.
   *
   * @throws TusException {@link ErrorCode#CHECKSUM_MISMATCH}, or {@link
   *     ErrorCode#INVALID_CHECKSUM_HEADER} for an announced trailer that never came
   */
  void verify(HttpServerExchange exchange) {
    if (digests.isEmpty()) {
      return;
    }
    Checksum expected = checksum.orElseGet(() -> trailer(exchange));
    MessageDigest digest = digests.get(expected.algorithm());
    // tus checksum: "If the checksums do not match, the Server MUST respond with the 460 Checksum
    // Mismatch status" and the chunk is discarded.
    if (!MessageDigest.isEqual(digest.digest(), expected.expected())) {
      throw new TusException(
          ErrorCode.CHECKSUM_MISMATCH,
          "the " + expected.algorithm().tusName() + " checksum of the body does not match Upload-Checksum");
    }
  }

  private static Checksum trailer(HttpServerExchange exchange) {
    HeaderMap trailers = exchange.getAttachment(HttpAttachments.REQUEST_TRAILERS);
    String value = trailers == null ? null : trailers.getFirst("Upload-Checksum");
    if (value == null) {
      throw new TusException(
          ErrorCode.INVALID_CHECKSUM_HEADER,
          "Trailer announced Upload-Checksum but the body ended without it");
    }
    return Checksum.parse(value);
  }
}
