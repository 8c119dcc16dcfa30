package dev.tusk.server.rufh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The problem documents (RFC 9457) the drafts define, as errors that carry their own body: the
 * draft's IANA problem type where the version defines one, tusk's own type otherwise, always with
 * tusk's {@code code} and a {@code detail}.
 */
public final class RufhProblems {
  static final String IANA = "https://iana.org/assignments/http-problem-types#";
  private static final String OWN = "https://tusk.dev/problems/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RufhProblems() {}

  /**
   * 409 for an append at the wrong offset. -04 on: "A response using this problem type SHOULD
   * populate both members, with the value of expected-offset taken from the upload resource and
   * the value of provided-offset taken from the upload append request"; every version: "The
   * server MUST send the Upload-Offset header field in the response if it considers the upload
   * active, either when the response is a success ... or when the response is a failure (e.g.
   * 409 (Conflict))".
   */
  public static TusException mismatchingOffset(InteropVersion v, long expected, long provided) {
    ObjectNode body =
        body(v.hasMismatchProblem() ? IANA + "mismatching-upload-offset" : null,
            ErrorCode.MISMATCHED_OFFSET, "offset from request does not match offset of resource",
            "Upload-Offset is " + provided + " but the upload is at " + expected);
    body.put("expected-offset", expected);
    body.put("provided-offset", provided);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(RufhHeaders.UPLOAD_OFFSET.toString(), Long.toString(expected));
    return error(ErrorCode.MISMATCHED_OFFSET, body, headers);
  }

  /** 400 for length indications that disagree (-06 on: the inconsistent-upload-length type). */
  public static TusException inconsistentLength(InteropVersion v, String detail) {
    ObjectNode body =
        body(v.hasInconsistentLengthProblem() ? IANA + "inconsistent-upload-length" : null,
            ErrorCode.INCONSISTENT_UPLOAD_LENGTH, "inconsistent length values for upload", detail);
    return error(ErrorCode.INCONSISTENT_UPLOAD_LENGTH, body, Map.of());
  }

  /**
   * 400 for an append to a completed upload: -04 on "If the upload is already complete, the
   * server MUST NOT modify the upload resource and MUST respond with a 400 (Bad Request) status
   * code" (-04 to -11 name the completed-upload problem type).
   */
  public static TusException completedUpload(InteropVersion v, long offset) {
    ObjectNode body =
        body(v.hasCompletedProblem() ? IANA + "completed-upload" : null,
            ErrorCode.UPLOAD_COMPLETED, "upload is already completed",
            "the upload is complete at offset " + offset + " and cannot be appended to");
    return error(
        ErrorCode.UPLOAD_COMPLETED, body,
        Map.of(RufhHeaders.UPLOAD_OFFSET.toString(), Long.toString(offset)));
  }

  private static ObjectNode body(String type, ErrorCode code, String title, String detail) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type != null ? type
        : OWN + code.code().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    node.put("title", title);
    node.put("status", code.status());
    node.put("detail", detail);
    node.put("code", code.code());
    return node;
  }

  private static TusException error(ErrorCode code, ObjectNode body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Content-Type", "application/problem+json");
    try {
      return TusException.withResponse(
          code, body.get("detail").asText(), code.status(), all, JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      return new TusException(code, body.get("detail").asText(), headers, e);
    }
  }
}
