package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.server.rufh.InteropVersion;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Requests of Resumable Uploads for HTTP at one interop version, for the black-box tests. */
final class Rufh {
  static final String PARTIAL = "application/partial-upload";

  private final TuskFixture tusk;
  private final InteropVersion v;

  Rufh(TuskFixture tusk, InteropVersion v) {
    this.tusk = tusk;
    this.v = v;
  }

  /** A request with {@code Upload-Draft-Interop-Version}. */
  RequestSpecification request() {
    return tusk.http().header("Upload-Draft-Interop-Version", v.number());
  }

  /** The completeness field of this version: {@code Upload-Incomplete} for 3. */
  String completeField() {
    return v.usesUploadIncomplete() ? "Upload-Incomplete" : "Upload-Complete";
  }

  /** The completeness field's value saying {@code complete}. */
  String completeValue(boolean complete) {
    return v.usesUploadIncomplete() == complete ? "?0" : "?1";
  }

  /** Asserts the response says the upload is (or is not) complete. */
  void assertComplete(Response r, boolean complete) {
    assertThat(r.header(completeField())).as(completeField()).isEqualTo(completeValue(complete));
  }

  RequestSpecification withComplete(boolean complete) {
    return request().header(completeField(), completeValue(complete));
  }

  /** Creation by POST with {@code body}. */
  Response create(boolean complete, byte[] body) {
    return withComplete(complete).contentType("application/octet-stream").body(body).post("/files/");
  }

  /** Creation without content. */
  Response createEmpty(boolean complete) {
    return withComplete(complete).post("/files/");
  }

  /** The path of a new upload holding {@code first}, not complete. */
  String started(byte[] first) {
    Response r = create(false, first);
    assertThat(r.statusCode()).as("creation %s", r.asString()).isEqualTo(201);
    return Uploads.path(r.header("Location"));
  }

  /** PATCH at {@code offset} with the version's media type. */
  Response append(String path, long offset, boolean complete, byte[] body) {
    return withComplete(complete)
        .header("Upload-Offset", offset)
        .contentType(v.requiresPartialUpload() ? PARTIAL : "application/octet-stream")
        .body(body)
        .patch(path);
  }

  Response head(String path) {
    return request().head(path);
  }

  long offset(String path) {
    Response r = head(path);
    assertThat(r.statusCode()).as("offset retrieval").isBetween(200, 204);
    return Long.parseLong(r.header("Upload-Offset"));
  }
}
