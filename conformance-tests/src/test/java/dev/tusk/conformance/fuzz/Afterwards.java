package dev.tusk.conformance.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Random;

/** What must hold after a fuzz run: the server is ready and stores a normal upload exactly. */
final class Afterwards {
  private Afterwards() {}

  static void assertHealthy(int port, String auth) throws Exception {
    try (Wire wire = new Wire(port, 10_000)) {
      Req ready = new Req("GET", "/health/ready");
      if (auth != null) {
        ready.header("Authorization", auth);
      }
      assertThat(status(wire.exchange(ready.render(), false, false))).as("readiness after the run").isEqualTo(200);
    }
    byte[] body = new byte[300_000];
    new Random(7).nextBytes(body);
    String path;
    try (Wire wire = new Wire(port, 10_000)) {
      Req create = tus("POST", "/files/", auth).header("Upload-Length", body.length);
      Wire.Reply created = (Wire.Reply) wire.exchange(create.render(), false, false);
      assertThat(created.status()).as("creation after the run").isEqualTo(201);
      path = URI.create(created.header("Location")).getPath();
      for (int offset = 0; offset < body.length; offset += 100_000) {
        Req patch = tus("PATCH", path, auth).header("Upload-Offset", offset)
            .header("Content-Type", Probes.OCTETS)
            .body(java.util.Arrays.copyOfRange(body, offset, offset + 100_000));
        Wire.Reply r = (Wire.Reply) wire.exchange(patch.render(), false, false);
        assertThat(r.status()).as("PATCH after the run").isEqualTo(204);
      }
      Req get = tus("GET", path, auth);
      Wire.Reply got = (Wire.Reply) wire.exchange(get.render(), false, false);
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.body()).as("the upload's bytes after the run").isEqualTo(body);
    }
  }

  private static Req tus(String method, String path, String auth) {
    Req q = new Req(method, path).header("Tus-Resumable", "1.0.0");
    if (auth != null) {
      q.header("Authorization", auth);
    }
    return q;
  }

  private static int status(Wire.Outcome outcome) {
    assertThat(outcome).isInstanceOf(Wire.Reply.class);
    return ((Wire.Reply) outcome).status();
  }
}
