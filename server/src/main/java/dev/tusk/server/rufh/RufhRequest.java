package dev.tusk.server.rufh;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The draft's header fields of one request, parsed for its interop version, and the checks of
 * each procedure (creation, append, offset retrieval and cancellation) against them. Pure.
 *
 * @param complete the request's completeness: {@code Upload-Complete}, or the inverse of -01's
 *     {@code Upload-Incomplete}; empty when absent
 * @param offset {@code Upload-Offset}, empty when absent
 * @param uploadLength {@code Upload-Length} (-04 on; ignored by earlier versions), empty when absent
 * @param contentLength the request's {@code Content-Length}, -1 when unknown (chunked or none)
 */
public record RufhRequest(
    InteropVersion version,
    Optional<Boolean> complete,
    OptionalLong offset,
    OptionalLong uploadLength,
    long contentLength) {

  /** What a creation request asks for. */
  public record Creation(boolean complete, OptionalLong length) {}

  /**
   * What an append request asks for.
   *
   * @param length the upload's length after this request, if known
   * @param allowed how many content bytes may be stored
   * @param replay true for an empty completing append to an upload that is complete already at
   *     that offset: answered as the completion was, nothing is stored
   */
  public record Append(boolean complete, OptionalLong length, long allowed, boolean replay) {}

  /** Parses the fields; a present field of the wrong form is a 400 naming it. */
  public static RufhRequest parse(
      InteropVersion version,
      String uploadComplete,
      String uploadIncomplete,
      String uploadOffset,
      String uploadLength,
      long contentLength) {
    Optional<Boolean> complete;
    if (version.usesUploadIncomplete()) {
      complete = bool(uploadIncomplete, "Upload-Incomplete").map(incomplete -> !incomplete);
    } else {
      complete = bool(uploadComplete, "Upload-Complete");
    }
    OptionalLong offset = nonNegative(uploadOffset, ErrorCode.INVALID_OFFSET, "Upload-Offset");
    OptionalLong length =
        version.hasUploadLength()
            ? nonNegative(uploadLength, ErrorCode.INVALID_UPLOAD_LENGTH, "Upload-Length")
            : OptionalLong.empty();
    return new RufhRequest(version, complete, offset, length, contentLength);
  }

  /**
   * Upload creation. -01: "The request MUST include the Upload-Incomplete header field ... The
   * request MUST NOT include the Upload-Offset header"; -03 on the same with Upload-Complete.
   * -05 on: "Both indicators may be present in the same request as long as they convey the same
   * size. If the sizes are inconsistent, the server MUST reject the request by responding with a
   * 400 (Bad Request) status code."
   *
   * @param maxSize the server's maximum upload size, 0 for none
   */
  public Creation creation(long maxSize) {
    if (offset.isPresent()) {
      throw new TusException(
          ErrorCode.UPLOAD_FIELD_NOT_ALLOWED, "a creation request must not carry Upload-Offset");
    }
    boolean done = requireComplete();
    OptionalLong fromContent =
        done && contentLength >= 0 ? OptionalLong.of(contentLength) : OptionalLong.empty();
    OptionalLong length = agree(fromContent, uploadLength, 0);
    if (length.isPresent() && maxSize > 0 && length.getAsLong() > maxSize) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED,
          "the upload of " + length.getAsLong() + " bytes exceeds the maximum size " + maxSize);
    }
    if (length.isPresent() && contentLength > length.getAsLong()) {
      throw RufhProblems.inconsistentLength(version,
          "the content of " + contentLength + " bytes is longer than the upload length "
              + length.getAsLong());
    }
    return new Creation(done, length);
  }

  /**
   * Upload append against the stored upload. Every version: "If the offset indicated by the
   * Upload-Offset field value does not match the offset ... the server MUST respond with a 409
   * (Conflict) status code." -04 on: "If the upload is already complete, the server MUST NOT
   * modify the upload resource and MUST respond with a 400 (Bad Request) status code." -03 on:
   * "If the server does have a previous record, that value MUST match the upload's final size.
   * If they do not match, the server MUST reject the request with a 400 (Bad Request) status
   * code."
   *
   * @param storedOffset the upload's offset
   * @param storedLength the upload's recorded length
   * @param storedComplete true if the upload is complete
   * @param maxSize the server's maximum upload size, 0 for none
   */
  public Append append(
      long storedOffset, OptionalLong storedLength, boolean storedComplete, long maxSize) {
    if (offset.isEmpty()) {
      throw new TusException(ErrorCode.INVALID_OFFSET, "an append request requires Upload-Offset");
    }
    // -01: the upload is complete with "the Upload-Incomplete header being omitted or set to false"
    boolean done =
        version.usesUploadIncomplete() ? complete.orElse(true) : requireComplete();
    long at = offset.getAsLong();
    if (storedComplete) {
      if (done && at == storedOffset && contentLength == 0) {
        return new Append(true, storedLength, 0, true);
      }
      throw RufhProblems.completedUpload(version, storedOffset);
    }
    if (at != storedOffset) {
      throw RufhProblems.mismatchingOffset(version, storedOffset, at);
    }
    OptionalLong fromContent =
        done && contentLength >= 0 ? OptionalLong.of(at + contentLength) : OptionalLong.empty();
    OptionalLong length = agree(agree(storedLength, uploadLength, at), fromContent, at);
    long allowed;
    if (length.isPresent()) {
      allowed = length.getAsLong() - at;
      if (contentLength > allowed) {
        // -04 on: "the server MUST stop appending bytes to the upload once the offset reaches the
        // final size and reject the request with a 400 (Bad Request) status code"
        throw RufhProblems.inconsistentLength(version,
            "the content of " + contentLength + " bytes is longer than the " + allowed
                + " bytes left before the upload length " + length.getAsLong());
      }
    } else {
      allowed = maxSize > 0 ? maxSize - at : Long.MAX_VALUE - at;
      if (contentLength > allowed) {
        throw new TusException(
            ErrorCode.MAX_SIZE_EXCEEDED,
            "the content of " + contentLength + " bytes would pass the maximum size " + maxSize);
      }
    }
    if (length.isPresent() && maxSize > 0 && length.getAsLong() > maxSize) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED,
          "the upload of " + length.getAsLong() + " bytes exceeds the maximum size " + maxSize);
    }
    return new Append(done, length, allowed, false);
  }

  /**
   * Offset retrieval and cancellation. -01 to -08: "The request MUST NOT include an
   * Upload-Offset or Upload-Complete header field. The server MUST reject requests with either of
   * these fields by responding with a 400 (Bad Request) status code" (-04 on: "or Upload-Length").
   */
  public void requireNoUploadFields(String what) {
    if (offset.isPresent() || complete.isPresent() || uploadLength.isPresent()) {
      throw new TusException(
          ErrorCode.UPLOAD_FIELD_NOT_ALLOWED,
          "a " + what + " request must not carry Upload-Offset, "
              + (version.usesUploadIncomplete() ? "Upload-Incomplete" : "Upload-Complete")
              + (version.hasUploadLength() ? " or Upload-Length" : ""));
    }
  }

  private boolean requireComplete() {
    return complete.orElseThrow(
        () -> new TusException(
            ErrorCode.INVALID_UPLOAD_COMPLETE,
            "the request requires "
                + (version.usesUploadIncomplete() ? "Upload-Incomplete" : "Upload-Complete")
                + " (?0 or ?1)"));
  }

  /** The one length two indications give; they must agree, and none may lie below {@code min}. */
  private OptionalLong agree(OptionalLong a, OptionalLong b, long min) {
    if (a.isPresent() && b.isPresent() && a.getAsLong() != b.getAsLong()) {
      throw RufhProblems.inconsistentLength(version,
          "the upload length is " + a.getAsLong() + " but the request indicates " + b.getAsLong());
    }
    OptionalLong length = a.isPresent() ? a : b;
    if (length.isPresent() && length.getAsLong() < min) {
      throw RufhProblems.inconsistentLength(version,
          "the upload length " + length.getAsLong() + " is below the offset " + min);
    }
    return length;
  }

  private static Optional<Boolean> bool(String raw, String name) {
    if (raw == null) {
      return Optional.empty();
    }
    return Optional.of(
        StructuredFields.parseBoolean(raw)
            .orElseThrow(() -> new TusException(
                ErrorCode.INVALID_UPLOAD_COMPLETE,
                name + " must be a structured-field Boolean, ?0 or ?1")));
  }

  private static OptionalLong nonNegative(String raw, ErrorCode code, String name) {
    if (raw == null) {
      return OptionalLong.empty();
    }
    OptionalLong value = StructuredFields.parseInteger(raw);
    if (value.isEmpty() || value.getAsLong() < 0) {
      throw new TusException(code, name + " must be a non-negative structured-field Integer");
    }
    return value;
  }
}
