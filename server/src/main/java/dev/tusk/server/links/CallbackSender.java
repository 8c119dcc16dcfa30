package dev.tusk.server.links;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.core.NamedThreads;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.protocol.ContentTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a link's callback URL that its upload completed: a JSON POST with {@code Idempotency-Key}
 * ({@code <upload id>:finished}, the same on every retry) and {@code Tusk-Signature: t=<unix
 * seconds>,v1=<hex HMAC-SHA256 of "t.body" with the link key>}. Retried on network errors, 408,
 * 429 and 5xx with exponential backoff, up to the configured attempts; never follows redirects;
 * re-checks the allow-list before sending. At-least-once while the process lives: retries are in
 * memory (they belong on the hooks outbox once it lands). {@link #send} never blocks.
 */
public final class CallbackSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LinkConfig config;
  private final CallbackHosts hosts;
  private final String basePath;
  private final Clock clock;
  private final HttpClient client;
  private final ScheduledExecutorService scheduler;

  public CallbackSender(LinkConfig config, CallbackHosts hosts, String basePath, Clock clock) {
    this.config = config;
    this.hosts = hosts;
    this.basePath = basePath;
    this.clock = clock;
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(1, NamedThreads.daemon("callbacks"));
    pool.setRemoveOnCancelPolicy(true);
    this.scheduler = pool;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(pool)
            .build();
  }

  public void send(UploadInfo info) {
    URI url = URI.create(info.attributes().get(UploadLink.LINK_CALLBACK));
    if (!hosts.allows(url)) {
      LOG.warn("event=callback_refused upload={} reason=host_not_allowed", info.id());
      return;
    }
    byte[] body = payload(info);
    attempt(url, body, info.id().value() + ":finished", 1);
  }

  private void attempt(URI url, byte[] body, String key, int n) {
    long t = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "tusk")
            .header("Idempotency-Key", key)
            .header("Tusk-Signature", "t=" + t + ",v1=" + sign(t, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              int status = response == null ? 0 : response.statusCode();
              if (error == null && status >= 200 && status < 300) {
                LOG.info("event=callback_delivered key={} attempt={} status={}", key, n, status);
                return;
              }
              boolean retry = error != null || status >= 500 || status == 408 || status == 429;
              if (!retry || n >= config.callbackAttempts() || scheduler.isShutdown()) {
                LOG.warn("event=callback_failed key={} attempt={} status={} error={}",
                    key, n, status, error == null ? "" : error.toString());
                return;
              }
              long wait = config.callbackBackoff().toMillis() << Math.min(n - 1, 16);
              scheduler.schedule(() -> attempt(url, body, key, n + 1), wait, TimeUnit.MILLISECONDS);
            });
  }

  private byte[] payload(UploadInfo info) {
    ObjectNode root = JSON.createObjectNode();
    root.put("event", "upload.finished");
    root.put("idempotencyKey", info.id().value() + ":finished");
    ObjectNode upload = root.putObject("upload");
    upload.put("id", info.id().value());
    upload.put("path", basePath + info.id().value());
    upload.put("size", info.length().orElse(info.offset()));
    upload.put("filename", info.metadata().get("filename"));
    upload.put("contentType", ContentTypes.declared(info.metadata()).orElse(null));
    upload.put("owner", info.attributes().get(Principal.OWNER));
    upload.put("sha256", info.attributes().get(UploadLink.LINK_SHA256));
    upload.put("md5", info.attributes().get(UploadLink.LINK_MD5));
    upload.put("createdAt", info.createdAt().toString());
    upload.put("expiresAt", info.expiresAt().map(Object::toString).orElse(null));
    ObjectNode metadata = upload.putObject("metadata");
    info.metadata().forEach(metadata::put);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a callback", e);
    }
  }

  /** Hex HMAC-SHA256 over {@code "<t>.<body>"} with the link key. */
  String sign(long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(config.key().orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
