package dev.tusk.server.rufh;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The interop versions of the draft this server speaks, each with the rules that differ between
 * them. A version is the value of {@code Upload-Draft-Interop-Version}; the drafts that share one
 * are named in {@link #drafts()}.
 */
public enum InteropVersion {
  /** draft -01: {@code Upload-Incomplete}, any non-safe method creates, 204 on HEAD. */
  V3(3, "-01"),
  /** draft -02: {@code Upload-Complete} replaces {@code Upload-Incomplete}; HEAD still 204. */
  V4(4, "-02"),
  /** draft -03: 104 progress reports, 200 allowed for offset retrieval. */
  V5(5, "-03"),
  /** drafts -04/-05: {@code Upload-Length}, {@code Upload-Limit} (with {@code expires}),
   * {@code application/partial-upload} appends, the mismatching-upload-offset problem. */
  V6(6, "-04, -05"),
  /** drafts -06 to -08: {@code max-age} replaces {@code expires}, {@code Upload-Complete} on
   * every append response, the inconsistent-upload-length problem. */
  V7(7, "-06, -07, -08"),
  /** drafts -09 to -11: {@code Upload-Limit} and (-10, -11) {@code Accept-Patch} on OPTIONS. */
  V8(8, "-09, -10, -11"),
  /** draft -12: {@code Upload-Limit} on every offset retrieval, offset retrieval with GET. */
  V9(9, "-12");

  private final int number;
  private final String drafts;

  InteropVersion(int number, String drafts) {
    this.number = number;
    this.drafts = drafts;
  }

  /** The value of {@code Upload-Draft-Interop-Version}. */
  public int number() {
    return number;
  }

  /** The draft revisions that define this version, e.g. {@code -06, -07, -08}. */
  public String drafts() {
    return drafts;
  }

  /** The newest version: what a request with {@code Upload-Complete} but no version speaks. */
  public static InteropVersion newest() {
    return V9;
  }

  /** The version with this number, if this server speaks it. */
  public static Optional<InteropVersion> of(long number) {
    return Arrays.stream(values()).filter(v -> v.number == number).findFirst();
  }

  /** The numbers this server speaks, for error messages: {@code 3, 4, 5, 6, 7, 8, 9}. */
  public static String supported() {
    return Arrays.stream(values())
        .map(v -> Integer.toString(v.number))
        .collect(Collectors.joining(", "));
  }

  /** -01 marks an unfinished upload with {@code Upload-Incomplete: ?1}; later drafts with
   * {@code Upload-Complete: ?0}. */
  public boolean usesUploadIncomplete() {
    return this == V3;
  }

  /** The status of a successful offset retrieval: -01 and -02 say "it MUST respond with a 204 (No
   * Content) status code"; -03 on ("Allow 200 status codes for offset retrieval") tusk answers 200,
   * because Undertow frames a bodiless HEAD answer as it would a GET, which a 204 must not be. */
  public int offsetStatus() {
    return number <= 4 ? 204 : 200;
  }

  /** -03 on: "Add upload progress notifications via informational responses". */
  public boolean progressReports() {
    return number >= 5;
  }

  /** -05: "The request MUST NOT include ... Upload-Length" on HEAD; {@code Upload-Length} exists. */
  public boolean hasUploadLength() {
    return number >= 6;
  }

  /** -05: the {@code Upload-Limit} dictionary exists (on creation, HEAD and OPTIONS). */
  public boolean hasUploadLimit() {
    return number >= 6;
  }

  /** The key of the remaining lifetime in {@code Upload-Limit}: {@code expires} in -04/-05,
   * {@code max-age} from -06 on ("Rename expires limit to max-age"). */
  public String lifetimeKey() {
    return this == V6 ? "expires" : "max-age";
  }

  /** -04 on: "The request MUST use the PATCH method with the application/partial-upload media
   * type". */
  public boolean requiresPartialUpload() {
    return number >= 6;
  }

  /** -04 to -11 define the mismatching-upload-offset and completed-upload problem types (-12
   * keeps only the first). */
  public boolean hasMismatchProblem() {
    return number >= 6;
  }

  /** -06 on defines the inconsistent-upload-length problem type. */
  public boolean hasInconsistentLengthProblem() {
    return number >= 7;
  }

  /** -04 to -11 define the completed-upload problem type. */
  public boolean hasCompletedProblem() {
    return number >= 6 && number <= 8;
  }

  /** -06 on: "If the request didn't complete the upload, any response, successful or not, MUST
   * include the Upload-Complete header field with a false value". */
  public boolean completenessOnEveryResponse() {
    return number >= 7;
  }

  /** The status of a successful append that leaves the upload incomplete: -01 to -05 say
   * "responding with the 201 (Created) status code", -06 on "a 2xx (Successful) response". */
  public int incompleteAppendStatus() {
    return number <= 6 ? 201 : 204;
  }

  /** -10 and -11: OPTIONS "MUST include the Accept-Patch header field"; -12 removes it again. */
  public boolean acceptPatchOnOptions() {
    return this == V8;
  }

  /** -12: "It can fetch the offset by sending a HEAD or GET request to the upload resource." */
  public boolean offsetByGet() {
    return this == V9;
  }
}
