package dev.tusk.server.cli.client;

import dev.tusk.server.options.Values;
import dev.tusk.server.protocol.ChecksumAlgorithm;
import dev.tusk.server.protocol.Metadata;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tusk upload FILE… --endpoint URL}: a resumable uploader for any tus server. */
@Command(
    name = "upload",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Upload files to a tus server, one after another, each with a progress bar (plain lines "
          + "when standard output is not a terminal). Prints each upload's URL.",
      "An interrupted upload (Ctrl-C, crash, lost network) is remembered: run the same command "
          + "again and it continues from the server's offset.",
      "",
      "",
      "Exit status: 0 when every file finished, 1 when any failed, 2 for bad usage.",
      ""
    },
    footer = {"", "Examples:",
      "  tusk upload video.mp4 --endpoint http://localhost:8080/files/",
      "  tar c photos | tusk upload - -e http://localhost:8080/files/ -m filename=photos.tar",
      "  tusk upload big.iso -e https://up.example.com/files/ -p 4 \\",
      "      -H \"Authorization: Bearer $TOKEN\"",
      "",
      "Every flag is described in docs/client.md."})
public final class UploadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private final Map<String, String> env;

  @Parameters(paramLabel = "FILE", arity = "1..*",
      description = "Files to upload; - reads standard input (length declared at its end).")
  List<String> files;

  @Option(names = {"-e", "--endpoint"}, required = true, paramLabel = "URL",
      description = "The server's upload collection (http://host:1080/files/), or a signed upload link.")
  String endpoint;

  @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
      description = "Send this header with every request (repeatable), e.g. 'Authorization: Bearer …'.")
  List<String> headers = new ArrayList<>();

  @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE",
      description = "Upload-Metadata pair (repeatable). Defaults: filename (the file's name) and filetype (guessed from its name).")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "8MiB",
      description = "Bytes per PATCH request (e.g. 512KiB, 8MiB). Default: ${DEFAULT-VALUE}.")
  String chunkSize;

  @Option(names = {"-p", "--parallel"}, paramLabel = "N", defaultValue = "1",
      description = "Upload each file as N parts at once, joined by the server (concatenation extension). Default: ${DEFAULT-VALUE}.")
  int parallel;

  @Option(names = "--checksum", paramLabel = "ALGORITHM",
      description = "Send an Upload-Checksum with every PATCH: sha256, sha1, md5 or sha512. A mismatch (460) re-sends the chunk up to 3 times.")
  String checksum;

  @Option(names = "--retry-delays", paramLabel = "LIST", defaultValue = Retries.DEFAULT,
      description = "Waits before each retry of a failed request (network error, 409, 423, 429, 502, 503, 504); a longer Retry-After wins; none disables retries. Default: ${DEFAULT-VALUE}.")
  String retryDelays;

  @Option(names = "--limit-rate", paramLabel = "SIZE",
      description = "Send at most SIZE bytes per second (e.g. 1MiB).")
  String limitRate;

  @Option(names = "--no-resume", description = "Start new uploads; neither read nor write the state file.")
  boolean noResume;

  @Option(names = "--forget", description = "Forget the remembered uploads of these files and exit without uploading.")
  boolean forget;

  @Option(names = "--state-file", paramLabel = "FILE",
      description = "Where interrupted uploads are remembered. Default: $XDG_STATE_HOME/tusk/uploads.json (~/.local/state/tusk/uploads.json).")
  Path stateFile;

  @Option(names = {"-q", "--quiet"}, description = "Print only each upload's URL.")
  boolean quiet;

  @Option(names = "--json", description = "Print one JSON object per file: file, url, bytes, status (done or failed), error.")
  boolean json;

  public UploadCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    URI target = parseEndpoint();
    Optional<ChecksumAlgorithm> algorithm = checksum == null ? Optional.empty()
        : Optional.of(ChecksumAlgorithm.byTusName(checksum).orElseThrow(() -> invalid(
            "--checksum: '" + checksum + "' is not one of " + ChecksumAlgorithm.ADVERTISED)));
    long chunk = size("--chunk-size", chunkSize);
    if (chunk < 1 || chunk > Integer.MAX_VALUE - 8) {
      throw invalid("--chunk-size must be between 1 byte and 2GiB");
    }
    if (parallel < 1 || parallel > 64) {
      throw invalid("--parallel must be between 1 and 64");
    }
    if (parallel > 1 && target.getRawQuery() != null && target.getRawQuery().contains("link=")) {
      throw invalid("--parallel: a signed upload link creates one upload, not parts; leave --parallel at 1");
    }
    ClientSettings settings = ClientSettings.parse(spec, headers, retryDelays, limitRate, stateFile, env);
    StateFile state = settings.state();
    if (forget) {
      for (String f : files) {
        if (!f.equals("-")) {
          state.remove(FileUpload.fingerprint(Path.of(f), target));
        }
      }
      return 0;
    }
    PrintStream out = System.out;
    Reporter reporter = new Reporter(Reporter.detect(json, quiet, env), out, spec.commandLine().getErr());
    TusClient client = new TusClient(TusClient.http(), settings.headers(), settings.pacer());
    Uploader uploader = new Uploader(client, settings.retries(), (int) chunk, algorithm);
    FileUpload uploads = new FileUpload(uploader, client, noResume ? Optional.empty() : Optional.of(state), target, parallel);
    int failed = 0;
    for (String f : files) {
      boolean ok = f.equals("-") ? stdin(uploader, client, target, reporter) : file(uploads, Path.of(f), reporter);
      failed += ok ? 0 : 1;
    }
    return failed == 0 ? 0 : 1;
  }

  private boolean file(FileUpload upload, Path file, Reporter reporter) {
    if (!Files.isRegularFile(file)) {
      reporter.unstarted(file.toString()).failed(null, 0, Files.exists(file) ? "not a regular file" : "no such file");
      return false;
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("filename", file.getFileName().toString());
    try {
      String type = Files.probeContentType(file);
      if (type != null) {
        meta.put("filetype", type);
      }
    } catch (IOException unknown) {
      // no filetype then
    }
    meta.putAll(metadata);
    return upload.run(file, Metadata.encode(meta), reporter);
  }

  private boolean stdin(Uploader uploader, TusClient client, URI target, Reporter reporter) {
    String meta = Metadata.encode(metadata);
    Reporter.Transfer transfer = reporter.start(metadata.getOrDefault("filename", "-"), -1, 0);
    Uploader.Meter meter = new Uploader.Meter(1, transfer);
    URI upload = null;
    try {
      upload = uploader.withRetries(() -> client.create(target, OptionalLong.empty(), meta, Optional.empty()));
      long length = uploader.sendStream(upload, System.in, meter);
      transfer.done(upload.toString(), length);
      return true;
    } catch (RequestFailure | IOException e) {
      transfer.failed(upload == null ? null : upload.toString(), meter.total(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      transfer.failed(upload == null ? null : upload.toString(), meter.total(), "interrupted");
    }
    return false;
  }

  private URI parseEndpoint() {
    try {
      URI u = URI.create(endpoint);
      if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
        throw new IllegalArgumentException("not an http or https URL");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw invalid("--endpoint: '" + endpoint + "' " + e.getMessage());
    }
  }

  private long size(String flag, String text) {
    try {
      return Values.size(text);
    } catch (IllegalArgumentException e) {
      throw invalid(flag + ": " + e.getMessage());
    }
  }

  private ParameterException invalid(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
