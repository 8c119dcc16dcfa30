package dev.tusk.server.hooks;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a finished upload stands in the backend's processing (e.g. a virus scan), kept in the
 * upload's attributes {@value #ATTRIBUTE} and {@value #REASON_ATTRIBUTE}. An upload without the
 * attribute has never been gated and downloads normally.
 */
public enum ProcessingStatus {
  /** Still being processed: a download answers 409 ERR_UPLOAD_PROCESSING. */
  PROCESSING,
  /** Processed and released. */
  READY,
  /** Refused by processing: a download answers 403 ERR_UPLOAD_PROCESSING_REJECTED. */
  REJECTED;

  /** The attribute that holds the status ({@code processing}, {@code ready}, {@code rejected}). */
  public static final String ATTRIBUTE = "status";

  /** The attribute that holds the reason given with the status, if any. */
  public static final String REASON_ATTRIBUTE = "statusReason";

  /** How long a client is asked to wait before trying a download of a processing upload again. */
  static final String RETRY_AFTER_SECONDS = "5";

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException if {@code s} names no status */
  public static ProcessingStatus parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "processing status must be processing, ready or rejected, was " + s);
    }
  }

  /** The upload's status, if it has one. */
  public static Optional<ProcessingStatus> of(UploadInfo info) {
    String s = info.attributes().get(ATTRIBUTE);
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(s));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code info} with this status and reason (none if blank). */
  public UploadInfo applyTo(UploadInfo info, String reason) {
    return info.withAttribute(ATTRIBUTE, wireName())
        .withAttribute(REASON_ATTRIBUTE, reason == null || reason.isBlank() ? null : reason);
  }

  /**
   * Refuses the download of an upload still being processed (409) or refused by processing (403);
   * uploads without a status, or {@code ready}, pass.
   */
  static void checkDownload(UploadInfo info) {
    Optional<ProcessingStatus> status = of(info);
    if (status.isEmpty() || status.get() == READY) {
      return;
    }
    String reason = info.attributes().getOrDefault(REASON_ATTRIBUTE, "");
    if (status.get() == PROCESSING) {
      throw new TusException(
          ErrorCode.UPLOAD_PROCESSING,
          "upload " + info.id() + " is still being processed" + (reason.isEmpty() ? "" : ": " + reason),
          Map.of("Retry-After", RETRY_AFTER_SECONDS),
          null);
    }
    throw new TusException(
        ErrorCode.PROCESSING_REJECTED,
        "upload " + info.id() + " was rejected by processing" + (reason.isEmpty() ? "" : ": " + reason));
  }
}
