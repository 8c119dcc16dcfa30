package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Checks of tusk's error bodies: {@code application/problem+json} (RFC 9457). */
final class ProblemAssert {
  private ProblemAssert() {}

  /**
   * Asserts {@code status}, {@code Tus-Resumable}, and a problem body with {@code type}, {@code
   * title}, the same {@code status}, {@code detail}, an {@code ERR_*} {@code code} and a {@code
   * traceId}.
   */
  static JsonPath assertProblem(Response r, int status) {
    assertThat(r.statusCode()).as("status, body %s", r.asString()).isEqualTo(status);
    assertThat(r.header("Tus-Resumable")).isEqualTo("1.0.0");
    assertThat(r.contentType()).startsWith("application/problem+json");
    JsonPath body = r.jsonPath();
    assertThat(body.getString("type")).isNotBlank();
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getInt("status")).isEqualTo(status);
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("code")).startsWith("ERR_");
    assertThat(body.getString("traceId")).isNotBlank();
    return body;
  }
}
