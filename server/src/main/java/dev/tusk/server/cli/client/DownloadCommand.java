package dev.tusk.server.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tusk download URL [-o FILE]}: GET with a progress bar. A partial file from an interrupted
 * download is continued with {@code Range}, guarded by {@code If-Range} with the validator the
 * first answer carried ({@code ETag}, else {@code Last-Modified}), so a file that changed on the
 * server is fetched whole again. Network errors and 429/502/503/504 are retried like uploads.
 */
@Command(
    name = "download",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Download a file (an upload's URL) with a progress bar. An interrupted download is continued "
          + "from where it stopped when the same command runs again.",
      "",
      "Exit status: 0 when the file is complete, 1 otherwise, 2 for bad usage."
    })
public final class DownloadCommand implements Callable<Integer> {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED = Pattern.compile("bytes \\*/(\\d+)");

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  private final Map<String, String> env;

  @Parameters(paramLabel = "URL", description = "What to download, e.g. an upload URL printed by tusk upload.")
  String url;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where to write. Default: the last segment of the URL's path, in the current directory.")
  Path output;

  @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
      description = "Send this header with the request (repeatable), e.g. 'Authorization: Bearer …'.")
  List<String> headers = new ArrayList<>();

  @Option(names = "--retry-delays", paramLabel = "LIST", defaultValue = Retries.DEFAULT,
      description = "Waits before each retry after a network error or a 429, 502, 503 or 504; none disables retries. Default: ${DEFAULT-VALUE}.")
  String retryDelays;

  @Option(names = "--limit-rate", paramLabel = "SIZE", description = "Receive at most SIZE bytes per second (e.g. 1MiB).")
  String limitRate;

  @Option(names = "--no-resume", description = "Download the whole file even when a partial one is there.")
  boolean noResume;

  @Option(names = "--state-file", paramLabel = "FILE",
      description = "Where partial downloads are remembered. Default: $XDG_STATE_HOME/tusk/uploads.json (~/.local/state/tusk/uploads.json).")
  Path stateFile;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
  boolean quiet;

  @Option(names = "--json", description = "Print one JSON object: file, url, bytes, status, error.")
  boolean json;

  public DownloadCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
      if (uri.getScheme() == null || !uri.getScheme().matches("https?")) {
        throw new IllegalArgumentException("'" + url + "' is not an http or https URL");
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    ClientSettings settings = ClientSettings.parse(spec, headers, retryDelays, limitRate, stateFile, env);
    List<TusClient.Header> extra = settings.headers();
    Retries retries = settings.retries();
    TusClient.Pacer pacer = settings.pacer();
    Path file = output != null ? output : Path.of(lastSegment(uri));
    StateFile state = settings.state();
    String key = StateFile.key("download", uri, file.toAbsolutePath().normalize());
    Reporter.Mode mode = Reporter.detect(json, quiet, env);
    Reporter reporter = new Reporter(mode == Reporter.Mode.QUIET ? Reporter.Mode.SILENT : mode, System.out,
        spec.commandLine().getErr());
    Reporter.Transfer transfer = null;
    HttpClient http = TusClient.http();
    long have = 0;
    for (int attempt = 0; ; attempt++) {
      Optional<StateFile.Entry> entry = noResume ? Optional.empty() : state.get(key);
      have = entry.isPresent() && Files.isRegularFile(file) ? Files.size(file) : 0;
      try {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        extra.forEach(h -> b.header(h.name(), h.value()));
        if (have > 0) {
          b.header("Range", "bytes=" + have + "-");
          String validator = entry.get().etag() != null ? entry.get().etag() : entry.get().lastModified();
          if (validator != null) {
            b.header("If-Range", validator);
          }
        }
        HttpResponse<InputStream> r;
        try {
          r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
          throw RequestFailure.network(e);
        }
        try (InputStream body = r.body()) {
          int status = r.statusCode();
          if (status == 416 && have > 0) {
            Matcher m = UNSATISFIED.matcher(r.headers().firstValue("Content-Range").orElse(""));
            if (m.matches() && Long.parseLong(m.group(1)) == have) {
              transfer = transfer != null ? transfer : reporter.start(file.toString(), have, have);
              break;
            }
          }
          if (status != 200 && status != 206) {
            throw TusClient.failure("GET", status, r.headers(), body.readNBytes(64 * 1024));
          }
          long start = 0;
          long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
          if (status == 206) {
            Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
              throw new RequestFailure(206, "the server sent a range other than the one asked for", Optional.empty());
            }
            start = have;
            total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
          }
          if (!noResume) {
            state.put(key, new StateFile.Entry("download", uri.toString(), null,
                r.headers().firstValue("ETag").filter(e -> !e.startsWith("W/")).orElse(null),
                r.headers().firstValue("Last-Modified").orElse(null)));
          }
          if (transfer == null) {
            transfer = reporter.start(file.toString(), total, start);
          }
          copy(body, file, start, transfer, pacer);
        }
        break;
      } catch (RequestFailure f) {
        Optional<java.time.Duration> wait = f.status() == 409 || f.status() == 423 ? Optional.empty() : retries.delay(attempt, f);
        if (wait.isEmpty()) {
          long got = Files.isRegularFile(file) ? Files.size(file) : 0;
          (transfer != null ? transfer : reporter.unstarted(file.toString())).failed(null, got, f.getMessage());
          return 1;
        }
        try {
          retries.pause(wait.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 1;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
    state.remove(key);
    transfer.done(uri.toString(), Files.size(file));
    return 0;
  }

  /** Writes the body at {@code start} of {@code file} (truncating what follows). */
  private static void copy(InputStream body, Path file, long start, Reporter.Transfer transfer,
      TusClient.Pacer pacer) throws RequestFailure {
    try (var ch = Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.truncate(start);
      ch.position(start);
      try (OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
        byte[] buffer = new byte[64 * 1024];
        long done = start;
        int n;
        while ((n = body.read(buffer)) > 0) {
          pacer.take(n);
          out.write(buffer, 0, n);
          done += n;
          transfer.progress(done);
        }
      }
    } catch (IOException e) {
      throw RequestFailure.network(e);
    }
  }

  private static String lastSegment(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (last.isEmpty() || last.equals(".") || last.equals("..")) {
      return "download";
    }
    return last;
  }
}
