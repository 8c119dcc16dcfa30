package dev.tusk.conformance.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tusk.conformance.StoreKind;
import dev.tusk.conformance.ops.TuskProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the state file does between two runs of {@code tusk upload}: a run stopped like Ctrl-C is
 * continued by the same command, an upload the server no longer has is started over, and {@code
 * --forget} drops the memory of a file. Filesystem store only (the server is {@code tusk serve
 * --upload-dir}).
 */
class UploadResumeIT {
  @TempDir Path dir;
  TuskProcess server;
  String endpoint;
  String state;
  byte[] bytes;
  Path file;

  int port;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(StoreKind.current() == StoreKind.FS, "tusk serve --upload-dir runs the filesystem store");
    port = Cli.freePort();
    server = Cli.serve(dir, port, dir.resolve("data"));
    endpoint = "http://127.0.0.1:" + server.port + "/files/";
    state = dir.resolve("uploads.json").toString();
    bytes = UploadCommandIT.random(6 << 20, 8);
    file = Files.write(dir.resolve("movie.bin"), bytes);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Starts the upload slowly, stops the command (SIGTERM, as Ctrl-C) past 1 MiB; the upload's URL. */
  private URI interruptedUpload() throws Exception {
    Cli first = Cli.start(dir, null, "upload", file.toString(), "-e", endpoint, "--state-file", state,
        "--chunk-size", "256KiB", "--limit-rate", "2MiB");
    Cli.await("the state file names the upload", 30, () -> UploadCommandIT.readable(state).contains("http"));
    URI upload = UploadCommandIT.url(UploadCommandIT.readable(state));
    Cli.await("1 MiB on the server", 30, () -> Cli.received(server) >= 1 << 20);
    first.interrupt();
    assertThat(UploadCommandIT.readable(state)).as("still remembered").contains(upload.toString());
    return upload;
  }

  @Test
  void interrupted_theSameCommandContinuesTheSameUpload() throws Exception {
    URI upload = interruptedUpload();

    Cli.Run again = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--state-file", state);

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("resuming at ");
    assertThat(UploadCommandIT.url(again.out())).isEqualTo(upload);
    assertThat(Cli.get(upload)).isEqualTo(bytes);
    assertThat(UploadCommandIT.readable(state)).doesNotContain("http");
  }

  @Test
  void interrupted_uploadGoneFromTheServer_startsOver() throws Exception {
    URI upload = interruptedUpload();
    HttpResponse<Void> deleted = TuskProcess.HTTP.send(HttpRequest.newBuilder(upload).DELETE()
        .header("Tus-Resumable", "1.0.0").build(), HttpResponse.BodyHandlers.discarding());
    assertThat(deleted.statusCode()).isEqualTo(204);

    Cli.Run again = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--state-file", state);

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).doesNotContain("resuming");
    URI fresh = UploadCommandIT.url(again.out());
    assertThat(fresh).isNotEqualTo(upload);
    assertThat(Cli.get(fresh)).isEqualTo(bytes);
    assertThat(UploadCommandIT.requests(server, upload, "HEAD")).extracting(r -> r[0])
        .as("the resume asked, and heard the upload was gone").contains(404L);
  }

  @Test
  void forget_dropsTheMemory_andTheNextRunIsANewUpload() throws Exception {
    URI upload = interruptedUpload();

    Cli.Run forgot = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--state-file", state, "--forget");
    assertThat(forgot.exitCode()).isZero();
    assertThat(UploadCommandIT.readable(state)).doesNotContain(upload.toString());
    Cli.Run again = Cli.run(dir, null, "upload", file.toString(), "-e", endpoint, "--state-file", state);

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(UploadCommandIT.url(again.out())).isNotEqualTo(upload);
    assertThat(Cli.get(UploadCommandIT.url(again.out()))).isEqualTo(bytes);
  }

  @Test
  void serverRestartedWithinTheRetryDelays_theRunningCommandCarriesOnByItself() throws Exception {
    Cli running = Cli.start(dir, null, "upload", file.toString(), "-e", endpoint, "--state-file", state,
        "--chunk-size", "256KiB", "--limit-rate", "2MiB", "--retry-delays", "0,1s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s");
    Cli.await("1 MiB on the server", 30, () -> Cli.received(server) >= 1 << 20);
    Cli.kill(server);
    server = Cli.serve(dir, port, dir.resolve("data"));

    assertThat(running.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Cli.Run run = running.result();
    assertThat(run.exitCode()).as(run.err()).isZero();
    URI upload = UploadCommandIT.url(run.out());
    assertThat(UploadCommandIT.requests(server, upload, "HEAD")).as("the offset asked again").isNotEmpty();
    assertThat(UploadCommandIT.requests(server, upload, "PATCH").stream().mapToLong(r -> r[1]).sum())
        .as("the restarted server got only the rest").isLessThan(bytes.length);
    assertThat(Cli.get(upload)).isEqualTo(bytes);
  }
}
