package dev.tusk.core;

/**
 * Every error the server answers with: an HTTP status and a stable {@code ERR_*} code (tusd's
 * codes where tusd has one). Add a constant here rather than setting a status in a handler.
 */
public enum ErrorCode {
  // 400
  INVALID_UPLOAD_LENGTH(400, "ERR_INVALID_UPLOAD_LENGTH", "Invalid Upload-Length"),
  UPLOAD_LENGTH_AND_DEFER(
      400, "ERR_UPLOAD_LENGTH_AND_UPLOAD_DEFER_LENGTH", "Upload-Length and Upload-Defer-Length"),
  INVALID_UPLOAD_DEFER_LENGTH(400, "ERR_INVALID_UPLOAD_DEFER_LENGTH", "Invalid Upload-Defer-Length"),
  /** The request uses a tus extension this server does not offer (absent from Tus-Extension). */
  EXTENSION_NOT_SUPPORTED(400, "ERR_EXTENSION_NOT_SUPPORTED", "Extension not supported"),
  INVALID_OFFSET(400, "ERR_INVALID_OFFSET", "Invalid Upload-Offset"),
  INVALID_METADATA(400, "ERR_INVALID_METADATA", "Invalid Upload-Metadata"),
  INVALID_CONCAT(400, "ERR_INVALID_CONCAT", "Invalid Upload-Concat"),
  INVALID_CHECKSUM_HEADER(400, "ERR_INVALID_CHECKSUM_HEADER", "Invalid Upload-Checksum"),
  UNSUPPORTED_CHECKSUM_ALGORITHM(
      400, "ERR_UNSUPPORTED_CHECKSUM_ALGORITHM", "Unsupported checksum algorithm"),
  INVALID_TTL(400, "ERR_INVALID_TTL", "Invalid time to live"),
  INVALID_REQUEST(400, "ERR_INVALID_REQUEST", "Invalid request"),
  INVALID_RANGE(400, "ERR_INVALID_RANGE", "Invalid Range"),
  INVALID_CONTENT_LENGTH(400, "ERR_INVALID_CONTENT_LENGTH", "Invalid Content-Length"),
  MALFORMED_BODY(400, "ERR_MALFORMED_BODY", "Malformed request body"),
  UPLOAD_INTERRUPTED(400, "ERR_UPLOAD_INTERRUPTED", "Upload interrupted by another request"),
  READ_TIMEOUT(400, "ERR_READ_TIMEOUT", "Timeout while reading the request body"),
  UPLOAD_STOPPED(400, "ERR_UPLOAD_STOPPED", "Upload stopped by the server"),
  UPLOAD_REJECTED(400, "ERR_UPLOAD_REJECTED", "Upload rejected by the server"),
  UNSUPPORTED_INTEROP_VERSION(400, "ERR_UNSUPPORTED_INTEROP_VERSION", "Unsupported Upload-Draft-Interop-Version"),
  INVALID_UPLOAD_COMPLETE(400, "ERR_INVALID_UPLOAD_COMPLETE", "Invalid Upload-Complete"),
  INCONSISTENT_UPLOAD_LENGTH(400, "ERR_INCONSISTENT_UPLOAD_LENGTH", "Inconsistent upload length"),
  UPLOAD_COMPLETED(400, "ERR_UPLOAD_COMPLETED", "Upload is already complete"),
  UPLOAD_FIELD_NOT_ALLOWED(400, "ERR_UPLOAD_FIELD_NOT_ALLOWED", "Upload field not allowed on this request"),
  TERMINATION_REJECTED(
      400, "ERR_UPLOAD_TERMINATION_REJECTED", "Upload termination rejected by the server"),
  // 401, 403, 404
  UNAUTHORIZED(401, "ERR_UNAUTHORIZED", "Authentication required"),
  MODIFY_FINAL(403, "ERR_MODIFY_FINAL", "A final upload cannot be modified"),
  FORBIDDEN(403, "ERR_FORBIDDEN", "Forbidden"),
  LINK_INVALID(403, "ERR_LINK_INVALID", "Invalid upload link"),
  LINK_EXPIRED(403, "ERR_LINK_EXPIRED", "Upload link expired"),
  LINK_USED(403, "ERR_LINK_USED", "Upload link already used"),
  PROCESSING_REJECTED(403, "ERR_UPLOAD_PROCESSING_REJECTED", "Upload was rejected by processing"),
  UPLOAD_NOT_FOUND(404, "ERR_UPLOAD_NOT_FOUND", "Upload not found"),
  NOT_FOUND(404, "ERR_NOT_FOUND", "Not found"),
  METHOD_NOT_ALLOWED(405, "ERR_METHOD_NOT_ALLOWED", "Method not allowed"),
  UPLOAD_TOO_SLOW(408, "ERR_UPLOAD_TOO_SLOW", "Upload slower than the minimum speed"),
  // 409, 410, 412, 413, 415, 416
  MISMATCHED_OFFSET(409, "ERR_MISMATCHED_OFFSET", "Mismatched offset"),
  UPLOAD_NOT_COMPLETE(409, "ERR_UPLOAD_NOT_COMPLETE", "Upload not complete"),
  UPLOAD_EXISTS(409, "ERR_UPLOAD_EXISTS", "An upload with this id exists"),
  UPLOAD_PROCESSING(409, "ERR_UPLOAD_PROCESSING", "Upload is still being processed"),
  UPLOAD_EXPIRED(410, "ERR_UPLOAD_EXPIRED", "Upload expired"),
  UNSUPPORTED_VERSION(412, "ERR_UNSUPPORTED_VERSION", "Unsupported tus version"),
  MAX_SIZE_EXCEEDED(413, "ERR_MAX_SIZE_EXCEEDED", "Maximum size exceeded"),
  UPLOAD_SIZE_EXCEEDED(413, "ERR_UPLOAD_SIZE_EXCEEDED", "Upload length exceeded"),
  INVALID_CONTENT_TYPE(415, "ERR_INVALID_CONTENT_TYPE", "Invalid Content-Type"),
  RANGE_NOT_SATISFIABLE(416, "ERR_RANGE_NOT_SATISFIABLE", "Range not satisfiable"),
  // 423, 429, 431, 460
  UPLOAD_LOCKED(423, "ERR_UPLOAD_LOCKED", "Upload is locked by another request"),
  RATE_LIMITED(429, "ERR_RATE_LIMITED", "Too many requests"),
  HEADERS_TOO_LARGE(431, "ERR_HEADERS_TOO_LARGE", "Request headers too large"),
  CHECKSUM_MISMATCH(460, "ERR_CHECKSUM_MISMATCH", "Checksum mismatch"),
  // 5xx
  INTERNAL(500, "ERR_INTERNAL_SERVER_ERROR", "Internal server error"),
  NOT_IMPLEMENTED(501, "ERR_NOT_IMPLEMENTED", "Not implemented"),
  STORAGE_UNAVAILABLE(503, "ERR_STORAGE_UNAVAILABLE", "Storage unavailable"),
  LOCKER_UNAVAILABLE(503, "ERR_LOCKER_UNAVAILABLE", "Lock service unavailable"),
  HOOK_UNAVAILABLE(503, "ERR_HOOK_UNAVAILABLE", "Hook receiver unavailable"),
  SERVER_SHUTDOWN(503, "ERR_SERVER_SHUTDOWN", "Server is shutting down"),
  STORAGE_FULL(507, "ERR_STORAGE_FULL", "Storage full");

  private final int status;
  private final String code;
  private final String title;

  ErrorCode(int status, String code, String title) {
    this.status = status;
    this.code = code;
    this.title = title;
  }

  public int status() {
    return status;
  }

  /** The stable machine-readable code, e.g. {@code ERR_MISMATCHED_OFFSET}. */
  public String code() {
    return code;
  }

  public String title() {
    return title;
  }
}
