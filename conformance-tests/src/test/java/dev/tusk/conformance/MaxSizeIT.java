package dev.tusk.conformance;

import static dev.tusk.conformance.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --max-size} holds for every upload at every moment a length becomes known: at creation,
 * on a deferred declaration, for partials, and for a final whose length is only known once its
 * partials declared theirs.
 */
class MaxSizeIT {
  static final long MAX = 1024;
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension(c -> c.withMaxSize(MAX));

  @Test
  @DisplayName("a final over deferred partials that are later declared past the maximum together is never served (413)")
  void final_overDeferredPartialsDeclaredPastTheMaximum_returns413() {
    String a = deferredPartial();
    String b = deferredPartial();
    Response created = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String fin = URI.create(created.header("Location")).getPath();
    byte[] data = Uploads.bytes(1000, 7);
    declareAndSend(a, data);
    declareAndSend(b, data);

    Response get = tusk.http().get(fin);
    assertThat(assertProblem(get, 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
    assertThat(get.asString()).contains(String.valueOf(MAX));
    assertThat(tusk.tus().head(fin).statusCode()).isEqualTo(413);
    assertThat(tusk.http().get(fin + "/details").statusCode()).isEqualTo(413);
    assertThat(tusk.http().get(fin).statusCode()).as("still refused later").isEqualTo(413);
    // the partials themselves are within the maximum and stay usable
    assertThat(Uploads.download(tusk, a)).isEqualTo(data);
  }

  @Test
  @DisplayName("a final is refused (413) as soon as its partials' declared lengths sum past the maximum, before their bytes arrive")
  void final_partialsDeclaredPastTheMaximumButIncomplete_returns413AtOnce() {
    String a = deferredPartial();
    String b = deferredPartial();
    Response created = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");
    String fin = URI.create(created.header("Location")).getPath();
    assertThat(tusk.tus().head(fin).statusCode()).as("lengths unknown yet").isEqualTo(200);
    for (String p : new String[] {a, b}) {
      Response declared =
          tusk.tus()
              .contentType(Uploads.OCTETS)
              .header("Upload-Offset", 0)
              .header("Upload-Length", 1000)
              .body(new byte[10])
              .patch(p);
      assertThat(declared.statusCode()).isEqualTo(204);
    }

    assertThat(tusk.tus().head(fin).statusCode()).isEqualTo(413);
    assertThat(assertProblem(tusk.http().get(fin), 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
    assertThat(tusk.http().get(fin + "/details").statusCode()).isEqualTo(413);
  }

  @Test
  @DisplayName("a final over one deferred and one declared partial that sum past the maximum is refused (413)")
  void final_overMixedPartialsPastTheMaximum_returns413() {
    String a = partial(600);
    String b = deferredPartial();
    Response created = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");
    assertThat(created.statusCode()).isEqualTo(201);
    String fin = URI.create(created.header("Location")).getPath();
    Uploads.append(tusk, a, 0, Uploads.bytes(600, 1));
    declareAndSend(b, Uploads.bytes(600, 2));

    assertThat(tusk.http().get(fin).statusCode()).isEqualTo(413);
  }

  @Test
  @DisplayName("a final over deferred partials declared within the maximum together is served")
  void final_overDeferredPartialsWithinTheMaximum_isServed() {
    String a = deferredPartial();
    String b = deferredPartial();
    Response created = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");
    String fin = URI.create(created.header("Location")).getPath();
    byte[] one = Uploads.bytes(500, 3);
    byte[] two = Uploads.bytes(524, 4);
    declareAndSend(a, one);
    declareAndSend(b, two);

    assertThat(Uploads.download(tusk, fin)).isEqualTo(Uploads.concat(one, two));
  }

  @Test
  @DisplayName("a final over declared partials that sum past the maximum is refused at creation (413)")
  void final_overDeclaredPartialsPastTheMaximum_returns413AtCreation() {
    Response fin =
        tusk.tus().header("Upload-Concat", "final;" + partial(1000) + " " + partial(1000)).post("/files/");

    assertThat(assertProblem(fin, 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
  }

  @Test
  @DisplayName("a deferred partial or upload declared past the maximum is refused (413) and stays deferred")
  void deferredDeclaration_pastTheMaximum_returns413() {
    for (String path : new String[] {deferredPartial(), deferred()}) {
      Response r =
          tusk.tus()
              .contentType(Uploads.OCTETS)
              .header("Upload-Offset", 0)
              .header("Upload-Length", MAX + 1)
              .body(new byte[0])
              .patch(path);
      assertThat(assertProblem(r, 413).getString("code")).isEqualTo("ERR_MAX_SIZE_EXCEEDED");
      assertThat(tusk.tus().head(path).header("Upload-Defer-Length")).isEqualTo("1");
    }
  }

  @Test
  @DisplayName("a deferred upload cannot receive more than the maximum before it declares its length")
  void deferred_bodyPastTheMaximum_returns413() {
    String path = deferred();
    Uploads.append(tusk, path, 0, Uploads.bytes(1000, 5));

    Response r = Uploads.patch(tusk, path, 1000, Uploads.bytes(100, 6));

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(Uploads.offset(tusk, path)).isEqualTo(1000);
  }

  private static void declareAndSend(String path, byte[] data) {
    Response r =
        tusk.tus()
            .contentType(Uploads.OCTETS)
            .header("Upload-Offset", 0)
            .header("Upload-Length", data.length)
            .body(data)
            .patch(path);
    assertThat(r.statusCode()).as("PATCH, body %s", r.asString()).isEqualTo(204);
  }

  private static String partial(long length) {
    Response r = tusk.tus().header("Upload-Length", length).header("Upload-Concat", "partial").post("/files/");
    assertThat(r.statusCode()).isEqualTo(201);
    return URI.create(r.header("Location")).getPath();
  }

  private static String deferredPartial() {
    return Uploads.createDeferredPartial(tusk);
  }

  private static String deferred() {
    return Uploads.createDeferred(tusk);
  }
}
