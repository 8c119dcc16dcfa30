package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.MutableClock;
import dev.tusk.core.UploadStore;
import dev.tusk.server.TuskServer;
import dev.tusk.server.auth.ApiKey;
import dev.tusk.server.auth.AuthConfig;
import dev.tusk.server.auth.KeyHashes;
import dev.tusk.server.auth.Security;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.links.LinkConfig;
import dev.tusk.server.policy.Scopes;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The upload page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium) against the real server: a file added through the page's file input arrives
 * byte-exact; a paused upload resumes from the server's offset; an upload interrupted by a server
 * restart continues from the server's offset after the page is reloaded and the file added again;
 * with access control on, the page loads without a credential and uploads with the one given as
 * {@code #token=}, or through a signed upload link given as {@code #link=}. A screenshot of each
 * finished page is kept under {@code target/upload-page/}.
 */
class UploadPageIT {
  static final Path CHROMIUM = Path.of(System.getProperty("tusk.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("tusk.chromedriver", "/usr/bin/chromedriver"));
  static final int CHUNK = 256 * 1024;
  static final Duration WAIT = Duration.ofSeconds(90);
  static final String KEY = "page-key-0123456789abcdef0123456789abcdef";
  static final String LINK_KEY = "page-link-key-0123456789abcdef0123456789";
  static final List<ApiKey> KEYS = List.of(new ApiKey(KeyHashes.sha256Hex(KEY), "page",
      Set.of(Scopes.UPLOAD, Scopes.DOWNLOAD), Limits.NONE, "default"));

  @TempDir Path scratch;
  MutableClock clock;
  UploadStore store;
  TuskServer server;
  Security security;
  ChromeDriver browser;
  /** What the current server received: method, path, Upload-Offset, Content-Length. */
  final Queue<Request> requests = new ConcurrentLinkedQueue<>();

  record Request(String method, String path, long offset, long length) {}

  @BeforeAll
  static void chromiumInstalled() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new AssertionError(
          "the upload page test needs Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
              + ": install them with `apt-get install -y chromium chromium-driver` (Debian, Ubuntu;"
              + " .ci/run does), or point -Dtusk.chromium and -Dtusk.chromedriver at them");
    }
  }

  @BeforeEach
  void start() throws Exception {
    clock = new MutableClock(TuskFixture.START);
    store = StoreKind.current().create(scratch, clock);
    server = startServer(0);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1100,1000",
        "--user-data-dir=" + Files.createDirectories(scratch.resolve("chromium-profile")));
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogOutput(Files.newOutputStream(scratch.resolve("chromedriver.log")))
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (security != null) {
      security.close();
    }
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @Test
  @DisplayName("A file added in the browser through the page uploads with progress to completion, byte-exact, and the page links to it")
  void page_fileAddedInBrowser_uploadsByteExact(TestInfo test) throws Exception {
    byte[] data = Uploads.bytes(3 * 1024 * 1024 + 17, 251);
    Path file = Files.write(scratch.resolve("report.bin"), data);
    openPage();

    addAndUpload(file);
    String url = awaitFinishedLink("report.bin");
    screenshot(test);

    assertThat(url).startsWith("http://127.0.0.1:" + server.port() + "/files/");
    assertThat(requests).filteredOn(r -> r.method().equals("POST")).hasSize(1);
    assertThat(requests).filteredOn(r -> r.method().equals("PATCH")).hasSize((data.length + CHUNK - 1) / CHUNK);
    assertThat(Uploads.sha256(download(url))).isEqualTo(Uploads.sha256(data));
    assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
        .as("the browser's console (a Content-Security-Policy violation would show here)")
        .noneMatch(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue());
  }

  @Test
  @DisplayName("An upload interrupted by a server restart resumes after a page reload: the page HEADs the"
      + " upload and PATCHes from the server's non-zero offset instead of starting over")
  void page_serverRestartedMidUploadAndPageReloaded_resumesFromServerOffset(TestInfo test) throws Exception {
    int size = 8 * 1024 * 1024;
    byte[] data = Uploads.bytes(size, 252);
    Path file = Files.write(scratch.resolve("video.bin"), data);
    openPage();
    // 150 ms per request and 4 MiB/s up: the upload takes several seconds instead of a blink
    browser.executeCdpCommand("Network.enable", Map.of());
    browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
        "offline", false, "latency", 150, "downloadThroughput", -1, "uploadThroughput", 4 * 1024 * 1024));

    addAndUpload(file);
    new WebDriverWait(browser, WAIT).until(b -> patchedBytes() >= 3L * CHUNK);
    String upload = requests.stream().filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow().path();
    assertThat(patchedBytes()).as("the upload is still under way when the server stops").isLessThan(size / 2);

    // the browser loses the network (the request in flight fails; the server keeps its bytes) and
    // the page is closed; the server restarts on the same store and port; the page is opened again
    browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
        "offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    browser.get("about:blank");
    int port = server.port();
    server.shutdown(Duration.ofSeconds(5));
    requests.clear();
    server = startServer(port);
    browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
        "offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    browser.get("http://127.0.0.1:" + port + "/");
    awaitReady();
    addAndUpload(file);
    String url = awaitFinishedLink("video.bin");
    screenshot(test);

    assertThat(Uploads.path(url)).isEqualTo(upload);
    List<Request> after = List.copyOf(requests);
    assertThat(after).as("no new upload after the restart").noneMatch(r -> r.method().equals("POST"));
    assertThat(after.get(0)).as("the reopened page first asks for the offset")
        .isEqualTo(new Request("HEAD", upload, -1, -1));
    Request firstPatch = after.get(1);
    assertThat(firstPatch.method()).isEqualTo("PATCH");
    assertThat(firstPatch.offset()).as("first PATCH after the restart").isGreaterThanOrEqualTo(2L * CHUNK);
    assertThat(patchedBytes()).as("bytes sent after the restart: the rest, not the whole file")
        .isEqualTo(size - firstPatch.offset());
    assertThat(Uploads.sha256(download(url))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName("Pause stops the upload and resume continues it: the page HEADs the upload and PATCHes"
      + " only the rest, to a byte-exact result")
  void page_pausedAndResumed_continuesFromServerOffset(TestInfo test) throws Exception {
    int size = 4 * 1024 * 1024;
    byte[] data = Uploads.bytes(size, 255);
    Path file = Files.write(scratch.resolve("archive.tar"), data);
    openPage();
    browser.executeCdpCommand("Network.enable", Map.of());
    browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
        "offline", false, "latency", 150, "downloadThroughput", -1, "uploadThroughput", 4 * 1024 * 1024));

    addAndUpload(file);
    new WebDriverWait(browser, WAIT).until(b -> patchedBytes() >= 2L * CHUNK);
    toggle("Pause");
    new WebDriverWait(browser, WAIT).until(b -> toggleTitle().equals("Resume"));
    browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
        "offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    int before = requests.size();
    toggle("Resume");
    String url = awaitFinishedLink("archive.tar");
    screenshot(test);

    List<Request> all = List.copyOf(requests);
    List<Request> after = all.subList(before, all.size());
    assertThat(after).as("no new upload on resume").noneMatch(r -> r.method().equals("POST"));
    assertThat(after.get(0)).isEqualTo(new Request("HEAD", Uploads.path(url), -1, -1));
    Request firstPatch = after.get(1);
    assertThat(firstPatch.offset()).as("first PATCH after resume").isGreaterThanOrEqualTo(CHUNK);
    assertThat(after.stream().filter(r -> r.method().equals("PATCH")).mapToLong(Request::length).sum())
        .as("bytes sent after resume").isEqualTo(size - firstPatch.offset());
    assertThat(Uploads.sha256(download(url))).isEqualTo(Uploads.sha256(data));
  }

  @Test
  @DisplayName("With access control on, the page loads without a credential and says how to give one"
      + " when the upload is refused; opened as /#token=<key> it uploads with that bearer credential")
  void page_withAccessControl_uploadsWithTokenFromFragment(TestInfo test) throws Exception {
    startSecured(AuthConfig.defaults().withKeys(KEYS));
    byte[] data = Uploads.bytes(1024 * 1024 + 5, 253);
    Path file = Files.write(scratch.resolve("contract.pdf"), data);

    openPage();
    addAndUpload(file);
    WebElement notice = new WebDriverWait(browser, WAIT).until(b -> b.findElements(By.id("notice")).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null));
    assertThat(notice.getText()).contains("#token=");
    assertThat(requests).filteredOn(r -> r.method().equals("POST")).isNotEmpty();

    browser.get("about:blank");
    browser.get("http://127.0.0.1:" + server.port() + "/#token=" + KEY);
    awaitReady();
    addAndUpload(file);
    String url = awaitFinishedLink("contract.pdf");
    screenshot(test);

    Response download = RestAssured.given().urlEncodingEnabled(false).header("Authorization", "Bearer " + KEY).get(url);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(Uploads.sha256(download.asByteArray())).isEqualTo(Uploads.sha256(data));
    assertThat(RestAssured.given().urlEncodingEnabled(false).get(url).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("Opened as /#link=<signed upload link>, the page uploads through the link without a"
      + " credential of its own, to the upload the link was issued for")
  void page_withSignedLink_uploadsThroughLink(TestInfo test) throws Exception {
    startSecured(AuthConfig.defaults().withKeys(KEYS).withLinks(LinkConfig.withKey(LINK_KEY)));
    Response issued = RestAssured.given().header("Authorization", "Bearer " + KEY).contentType("application/json")
        .body("{\"ttl\": 600}").post("http://127.0.0.1:" + server.port() + "/files/links");
    assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
    String query = URI.create(issued.jsonPath().getString("signed_url")).getRawQuery();
    assertThat(query).startsWith("link=");
    byte[] data = Uploads.bytes(2 * 1024 * 1024 + 9, 254);
    Path file = Files.write(scratch.resolve("scan.png"), data);

    browser.get("http://127.0.0.1:" + server.port() + "/#" + query);
    awaitReady();
    addAndUpload(file);
    String url = awaitFinishedLink("scan.png");
    screenshot(test);

    String upload = "/files/" + issued.jsonPath().getString("upload_id");
    assertThat(Uploads.path(url)).isEqualTo(upload);
    assertThat(requests).as("the link request, then the page's one creation")
        .filteredOn(r -> r.method().equals("POST")).extracting(Request::path).containsExactly("/files/links", "/files/");
    Response download = RestAssured.given().urlEncodingEnabled(false).header("Authorization", "Bearer " + KEY)
        .get("http://127.0.0.1:" + server.port() + upload);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(Uploads.sha256(download.asByteArray())).isEqualTo(Uploads.sha256(data));
  }

  /** Replaces the server by one with access control {@code auth}, recording every request. */
  private void startSecured(AuthConfig auth) throws Exception {
    server.close();
    ServerConfig config = config(0);
    security = Security.create(auth, config, store, clock);
    server = TuskServer.builder(config).store(store).clock(clock).policy(security.policy())
        .filter(next -> recorder().apply(security.filter().apply(next))).start();
  }

  private ServerConfig config(int port) {
    return ServerConfig.defaults()
        .withHost("127.0.0.1")
        .withPort(port)
        .withUploadDir(scratch.resolve("uploads"))
        .withPage(new ServerConfig.Page(true, "/", CHUNK));
  }

  /** Records every tus request in {@link #requests}. */
  private UnaryOperator<HttpHandler> recorder() {
    return next -> exchange -> {
      var headers = exchange.getRequestHeaders();
      requests.add(new Request(exchange.getRequestMethod().toString(), exchange.getRequestPath(),
          parse(headers.getFirst("Upload-Offset")), parse(headers.getFirst(Headers.CONTENT_LENGTH))));
      next.handleRequest(exchange);
    };
  }

  /** The server on {@code port} (0: a free one) over {@link #store}, recording every request. */
  private TuskServer startServer(int port) {
    return TuskServer.builder(config(port)).store(store).clock(clock).filter(recorder()).start();
  }

  private static long parse(String value) {
    return value == null ? -1 : Long.parseLong(value.trim());
  }

  /** Body bytes PATCHed to the current server. */
  private long patchedBytes() {
    return requests.stream().filter(r -> r.method().equals("PATCH")).mapToLong(r -> Math.max(0, r.length())).sum();
  }

  private void openPage() {
    browser.get("http://127.0.0.1:" + server.port() + "/");
    awaitReady();
  }

  private void awaitReady() {
    new WebDriverWait(browser, WAIT).until(b -> "true".equals(
        b.findElement(By.tagName("body")).getDomAttribute("data-ready")));
  }

  /** Adds {@code file} through the Dashboard's file input and presses its upload button. */
  private void addAndUpload(Path file) {
    WebElement input = browser.findElement(By.cssSelector(".uppy-Dashboard-input:not([webkitdirectory])"));
    input.sendKeys(file.toAbsolutePath().toString());
    WebElement button = new WebDriverWait(browser, WAIT).until(
        b -> b.findElements(By.cssSelector(".uppy-StatusBar-actionBtn--upload")).stream().findFirst().orElse(null));
    button.click();
  }

  /** Presses the status bar's pause/resume button while it is titled {@code title}. */
  private void toggle(String title) {
    assertThat(toggleTitle()).isEqualTo(title);
    browser.findElement(By.cssSelector("[data-cy=togglePauseResume]")).click();
  }

  private String toggleTitle() {
    return browser.findElement(By.cssSelector("[data-cy=togglePauseResume]")).getDomAttribute("title");
  }

  /**
   * Waits for the page's link to the finished file and for the status bar to say "Complete";
   * returns the upload URL.
   */
  private String awaitFinishedLink(String name) {
    WebElement link = new WebDriverWait(browser, WAIT).until(b -> b.findElements(By.cssSelector("#links a")).stream()
        .filter(a -> a.getText().equals(name)).findFirst().orElse(null));
    new WebDriverWait(browser, WAIT).until(b -> b.findElements(By.cssSelector(".uppy-StatusBar-statusPrimary"))
        .stream().anyMatch(e -> e.getText().strip().equals("Complete")));
    return link.getDomAttribute("href");
  }

  private byte[] download(String url) {
    Response r = RestAssured.given().urlEncodingEnabled(false).get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.asByteArray();
  }

  private void screenshot(TestInfo test) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "upload-page"));
    String name = StoreKind.current().name().toLowerCase(java.util.Locale.ROOT) + "-"
        + test.getTestMethod().orElseThrow().getName() + ".png";
    Files.write(dir.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }
}
