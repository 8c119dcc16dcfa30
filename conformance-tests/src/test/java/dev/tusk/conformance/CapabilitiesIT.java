package dev.tusk.conformance;

import static dev.tusk.conformance.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.Concatenator;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.LocalReads;
import dev.tusk.core.Terminator;
import dev.tusk.core.UploadLister;
import dev.tusk.core.UploadStore;
import dev.tusk.core.UseRecorder;
import io.restassured.response.Response;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server over a store that lacks one optional capability: what the store cannot do is not
 * advertised, a request that needs it gets a 4xx problem (never a 5xx), and everything else
 * works as over the full store.
 */
class CapabilitiesIT {
  /** Every optional capability interface a store may implement. */
  private static final List<Class<?>> CAPABILITIES =
      List.of(Terminator.class, LengthDeferrer.class, Concatenator.class, UploadLister.class,
          UseRecorder.class, LocalReads.class);

  /** What the full store offers (both stores implement every tus capability). */
  private static final List<String> ALL_EXTENSIONS =
      List.of("creation", "creation-with-upload", "creation-defer-length", "termination",
          "concatenation", "concatenation-unfinished", "checksum", "checksum-trailer", "expiration");

  /** A capability the store lacks, and the tus extensions that go with it. */
  enum Lacking {
    TERMINATOR(Terminator.class, "termination"),
    LENGTH_DEFERRER(LengthDeferrer.class, "creation-defer-length"),
    CONCATENATOR(Concatenator.class, "concatenation", "concatenation-unfinished"),
    UPLOAD_LISTER(UploadLister.class),
    USE_RECORDER(UseRecorder.class),
    LOCAL_READS(LocalReads.class);

    final Class<?> capability;
    final List<String> extensions;

    Lacking(Class<?> capability, String... extensions) {
      this.capability = capability;
      this.extensions = List.of(extensions);
    }

    boolean offers(String extension) {
      return !extensions.contains(extension);
    }
  }

  @ParameterizedTest
  @EnumSource(Lacking.class)
  @DisplayName(
      "The Tus-Extension response header MUST be a comma-separated list of the extensions"
          + " supported by the Server (and only those the store can carry out).")
  void options_storeLackingACapability_advertisesEverythingElse(Lacking lacking) throws Exception {
    try (TuskFixture tusk = TuskFixture.startOver(store -> without(store, lacking.capability))) {
      List<String> expected = new ArrayList<>(ALL_EXTENSIONS);
      expected.removeAll(lacking.extensions);

      Response r = tusk.http().options("/files/");

      assertThat(r.statusCode()).isIn(200, 204);
      assertThat(Arrays.asList(r.header("Tus-Extension").split(","))).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Lacking.class, names = "TERMINATOR")
  @DisplayName("DELETE over a store that cannot terminate is 405 with Allow; the upload stays.")
  void delete_storeWithoutTermination_returns405WithAllow(Lacking lacking) throws Exception {
    try (TuskFixture tusk = TuskFixture.startOver(store -> without(store, lacking.capability))) {
      String upload = Uploads.create(tusk, 5);

      Response r = tusk.tus().delete(upload);

      assertThat(assertProblem(r, 405).getString("code")).isEqualTo("ERR_METHOD_NOT_ALLOWED");
      assertThat(r.header("Allow")).isEqualTo("OPTIONS, HEAD, PATCH, GET");
      assertThat(Uploads.offset(tusk, upload)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Lacking.class, names = "LENGTH_DEFERRER")
  @DisplayName(
      "Upload-Defer-Length over a store that cannot defer is 400 ERR_EXTENSION_NOT_SUPPORTED;"
          + " nothing is created.")
  void create_deferredOverStoreWithoutDeferral_returns400(Lacking lacking) throws Exception {
    try (TuskFixture tusk = TuskFixture.startOver(store -> without(store, lacking.capability))) {
      Response plain = tusk.tus().header("Upload-Defer-Length", 1).post("/files/");
      Response partial =
          tusk.tus().header("Upload-Defer-Length", 1).header("Upload-Concat", "partial").post("/files/");
      Response withBody =
          tusk.tus().header("Upload-Defer-Length", 1).contentType(Uploads.OCTETS)
              .body("abc".getBytes(StandardCharsets.US_ASCII)).post("/files/");

      for (Response r : List.of(plain, partial, withBody)) {
        assertThat(assertProblem(r, 400).getString("code")).isEqualTo("ERR_EXTENSION_NOT_SUPPORTED");
        assertThat(r.header("Location")).isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Lacking.class, names = "CONCATENATOR")
  @DisplayName(
      "Upload-Concat over a store that cannot concatenate is 400 ERR_EXTENSION_NOT_SUPPORTED;"
          + " nothing is created.")
  void create_concatOverStoreWithoutConcatenation_returns400(Lacking lacking) throws Exception {
    try (TuskFixture tusk = TuskFixture.startOver(store -> without(store, lacking.capability))) {
      String upload = Uploads.create(tusk, 2);
      Uploads.append(tusk, upload, 0, "ab".getBytes(StandardCharsets.US_ASCII));

      Response partial = tusk.tus().header("Upload-Length", 2).header("Upload-Concat", "partial").post("/files/");
      Response fin = tusk.tus().header("Upload-Concat", "final;" + upload).post("/files/");

      for (Response r : List.of(partial, fin)) {
        assertThat(assertProblem(r, 400).getString("code")).isEqualTo("ERR_EXTENSION_NOT_SUPPORTED");
        assertThat(r.header("Location")).isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Lacking.class)
  @DisplayName("Everything the store can do still works when it lacks one capability.")
  void everythingElse_storeLackingACapability_works(Lacking lacking) throws Exception {
    try (TuskFixture tusk = TuskFixture.startOver(store -> without(store, lacking.capability))) {
      String upload = Uploads.create(tusk, 5);
      Uploads.append(tusk, upload, 0, "hel".getBytes(StandardCharsets.US_ASCII));
      Uploads.append(tusk, upload, 3, "lo".getBytes(StandardCharsets.US_ASCII));
      assertThat(Uploads.download(tusk, upload)).asString().isEqualTo("hello");
      assertThat(tusk.http().header("Range", "bytes=1-2").get(upload).asString()).isEqualTo("el");

      Response withUpload =
          tusk.tus().header("Upload-Length", 3).contentType(Uploads.OCTETS)
              .body("abc".getBytes(StandardCharsets.US_ASCII)).post("/files/");
      assertThat(withUpload.statusCode()).isEqualTo(201);
      assertThat(withUpload.header("Upload-Offset")).isEqualTo("3");

      Response single = tusk.http().contentType("text/plain").body("plain").post("/files/");
      assertThat(single.statusCode()).as("single-request upload, body %s", single.asString()).isEqualTo(201);

      if (lacking.offers("creation-defer-length")) {
        String deferred = Uploads.createDeferred(tusk);
        Response r = tusk.tus().contentType(Uploads.OCTETS).header("Upload-Offset", 0)
            .header("Upload-Length", 3).body("xyz".getBytes(StandardCharsets.US_ASCII)).patch(deferred);
        assertThat(r.statusCode()).as("PATCH declaring the length, body %s", r.asString()).isEqualTo(204);
        assertThat(Uploads.download(tusk, deferred)).asString().isEqualTo("xyz");
      }
      if (lacking.offers("concatenation")) {
        String a = partial(tusk, "ab");
        String b = partial(tusk, "cd");
        Response fin = tusk.tus().header("Upload-Concat", "final;" + a + " " + b).post("/files/");
        assertThat(fin.statusCode()).as("final, body %s", fin.asString()).isEqualTo(201);
        assertThat(Uploads.download(tusk, Uploads.path(fin.header("Location")))).asString().isEqualTo("abcd");
      }
      if (lacking.offers("termination")) {
        assertThat(tusk.tus().delete(upload).statusCode()).isEqualTo(204);
        assertThat(tusk.tus().head(upload).statusCode()).isIn(404, 410);
      }
    }
  }

  private static String partial(TuskFixture tusk, String content) {
    Response r = tusk.tus().header("Upload-Length", content.length()).header("Upload-Concat", "partial")
        .post("/files/");
    assertThat(r.statusCode()).as("partial, body %s", r.asString()).isEqualTo(201);
    String path = Uploads.path(r.header("Location"));
    Uploads.append(tusk, path, 0, content.getBytes(StandardCharsets.US_ASCII));
    return path;
  }

  /**
   * A store that delegates every call to {@code store} and implements every capability interface
   * {@code store} does, except {@code missing}: what a store without that capability looks like.
   */
  static UploadStore without(UploadStore store, Class<?> missing) {
    List<Class<?>> interfaces = new ArrayList<>(List.of(UploadStore.class));
    for (Class<?> capability : CAPABILITIES) {
      if (capability != missing && capability.isInstance(store)) {
        interfaces.add(capability);
      }
    }
    return (UploadStore)
        Proxy.newProxyInstance(
            CapabilitiesIT.class.getClassLoader(),
            interfaces.toArray(Class<?>[]::new),
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> store + " without " + missing.getSimpleName();
                };
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
