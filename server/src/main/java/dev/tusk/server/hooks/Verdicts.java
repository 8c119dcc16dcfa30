package dev.tusk.server.hooks;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.hooks.BlockingCalls.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the answers of a blocking hook mean for the request; pure. "Any rejection wins": the first
 * rejecting receiver in configured order decides the response; only if nobody rejected do failures
 * count, and then only when failing closed. A rejection keeps the receiver's status, headers and
 * body (tusd merges {@code HTTPResponse} into its error the same way).
 */
final class Verdicts {
  private static final Set<String> HOP_BY_HOP =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer");

  private Verdicts() {}

  /** The error to answer, if the hook's answers call for one. */
  static Optional<TusException> rejection(HookType type, List<Result> results, boolean failOpen) {
    for (Result r : results) {
      if (r.ok()) {
        Optional<TusException> rejected = rejectionOf(type, r.response());
        if (rejected.isPresent()) {
          return rejected;
        }
      }
    }
    if (!failOpen && results.stream().anyMatch(r -> !r.ok())) {
      return Optional.of(
          new TusException(
              ErrorCode.HOOK_UNAVAILABLE,
              "the " + type.wireName() + " hook could not be completed; try again later",
              Map.of("Retry-After", "5"),
              null));
    }
    return Optional.empty();
  }

  /**
   * One answer's rejection: pre-create {@code RejectUpload}, pre-terminate {@code
   * RejectTermination}, pre-access {@code RejectAccess} or an error status (403 unless given),
   * pre-finish an error status (tusd cannot reject there; tusk can, since the bytes stay).
   */
  static Optional<TusException> rejectionOf(HookType type, HookResponse response) {
    int status = response.httpResponse().map(HookResponse.HttpResponse::statusCode).orElse(0);
    boolean errorStatus = status >= 400 && status <= 599;
    return switch (type) {
      case PRE_CREATE -> response.rejectUpload()
          ? Optional.of(error(ErrorCode.UPLOAD_REJECTED, "upload creation has been rejected by the server", response))
          : Optional.empty();
      case PRE_TERMINATE -> response.rejectTermination()
          ? Optional.of(error(ErrorCode.TERMINATION_REJECTED, "upload termination has been rejected by the server", response))
          : Optional.empty();
      case PRE_ACCESS -> response.rejectAccess() || errorStatus
          ? Optional.of(error(ErrorCode.FORBIDDEN, "access to the upload has been denied", response))
          : Optional.empty();
      case PRE_FINISH -> errorStatus
          ? Optional.of(error(ErrorCode.UPLOAD_REJECTED, "the finished upload has been rejected by the server", response))
          : Optional.empty();
      default -> Optional.empty();
    };
  }

  private static TusException error(ErrorCode code, String detail, HookResponse response) {
    Optional<HookResponse.HttpResponse> http = response.httpResponse();
    int status = http.map(HookResponse.HttpResponse::statusCode).orElse(0);
    Map<String, String> headers = new LinkedHashMap<>();
    http.ifPresent(h -> h.header().forEach((k, v) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && isHeaderSafe(k, v)) {
        headers.put(k, v);
      }
    }));
    return TusException.withResponse(
        code, detail, status >= 400 && status <= 599 ? status : code.status(), headers,
        http.map(HookResponse.HttpResponse::body).orElse(""));
  }

  /**
   * A receiver's header goes out only if its name is visible ASCII without {@code :} and its value
   * printable ASCII: no control character, and nothing above 0x7e that a writer keeping one byte
   * per char could turn into one (U+010A would become LF).
   */
  private static boolean isHeaderSafe(String name, String value) {
    return !name.isEmpty()
        && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')
        && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  /**
   * Answers whose ChangeFileInfo is unusable (an ID that is not a valid upload id or is taken,
   * metadata keys tus forbids) turn into that receiver's failure, so fail-open / fail-closed
   * decides, never a 500.
   */
  static List<Result> checkChanges(List<Result> results, Predicate<UploadId> taken) {
    List<Result> checked = new ArrayList<>();
    for (Result r : results) {
      Optional<String> problem = r.ok() ? problem(r.response(), taken) : Optional.empty();
      checked.add(problem.isEmpty() ? r
          : new Result(r.receiver(), null, new HookFailure(HookFailure.Kind.BAD_RESPONSE, problem.get())));
    }
    return checked;
  }

  private static Optional<String> problem(HookResponse response, Predicate<UploadId> taken) {
    if (response.rejectUpload()) {
      return Optional.empty();
    }
    if (response.changeId().isPresent()) {
      Optional<UploadId> id = UploadId.parse(response.changeId().get());
      if (id.isEmpty()) {
        return Optional.of("ChangeFileInfo.ID must match [A-Za-z0-9_-]{8,128}");
      }
      if (taken.test(id.get())) {
        return Optional.of("ChangeFileInfo.ID " + id.get() + " is already taken");
      }
    }
    for (String key : response.changeMetadata().orElse(Map.of()).keySet()) {
      // tus core: "The key MUST NOT contain spaces and commas and MUST NOT be empty."
      if (key.isEmpty() || key.chars().anyMatch(c -> c == ' ' || c == ',' || c < 0x21 || c > 0x7e)) {
        return Optional.of("ChangeFileInfo.MetaData key '" + key + "' is not a valid metadata key");
      }
    }
    return Optional.empty();
  }

  /**
   * The draft with every answer's ChangeFileInfo applied in receiver order, per property (tusd:
   * "specifying just one property leaves all others unchanged"); MetaData replaces the metadata.
   */
  static UploadInfo applyChanges(UploadInfo draft, List<Result> results) {
    UploadInfo info = draft;
    for (Result r : results) {
      if (!r.ok()) {
        continue;
      }
      if (r.response().changeId().isPresent()) {
        info = info.withId(new UploadId(r.response().changeId().get()));
      }
      if (r.response().changeMetadata().isPresent()) {
        info = info.withMetadata(r.response().changeMetadata().get());
      }
    }
    return info;
  }
}
