package dev.tusk.server.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tusd's HTTP hooks: POSTs the hook request as JSON with the {@code Hook-Name} header (tusd v1) and
 * tusk's {@code Idempotency-Key}, and reads a 2xx answer's body as the hook response. Any other
 * status is a failure (tusd: "a non-2XX status code ... internal failure").
 */
final class HttpReceiver implements Receiver {
  private static final Logger LOG = LoggerFactory.getLogger(HttpReceiver.class);
  /** Larger answers are refused (tusd's default limit is 5 KiB). */
  static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final ReceiverConfig config;
  private final URI uri;
  private final HttpClient client;

  HttpReceiver(ReceiverConfig config, HttpClient client) {
    this.config = config;
    this.uri = URI.create(config.target());
    this.client = client;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public java.time.Duration timeout() {
    return config.timeout();
  }

  @Override
  public HookResponse call(Invocation invocation) throws HookFailure {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Hook-Name", invocation.type().wireName())
            .header("Idempotency-Key", invocation.eventId())
            .POST(HttpRequest.BodyPublishers.ofByteArray(invocation.body()));
    config.headers().forEach(request::header);
    if (!config.forwardHeaders().isEmpty()) {
      JsonNode tree = invocation.tree();
      for (String name : config.forwardHeaders()) {
        Invocation.clientHeader(tree, name).forEach(v -> request.header(name, v));
      }
    }
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
      }
    } catch (HttpConnectTimeoutException e) {
      throw new HookFailure(HookFailure.Kind.CONNECT, "connecting to " + uri + " timed out");
    } catch (HttpTimeoutException e) {
      throw new HookFailure(HookFailure.Kind.TIMEOUT, uri + " did not answer within " + config.timeout());
    } catch (ConnectException e) {
      throw new HookFailure(HookFailure.Kind.CONNECT, "cannot connect to " + uri + ": " + e);
    } catch (IOException e) {
      throw new HookFailure(HookFailure.Kind.IO, "calling " + uri + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HookFailure(HookFailure.Kind.IO, "interrupted while calling " + uri);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new HookFailure(
          status >= 500 ? HookFailure.Kind.SERVER_ERROR : HookFailure.Kind.CLIENT_ERROR,
          status,
          uri + " answered " + status + ": " + snippet(body));
    }
    if (body.length > MAX_RESPONSE_BYTES) {
      throw new HookFailure(HookFailure.Kind.BAD_RESPONSE, uri + " answered more than 1 MiB");
    }
    return Receivers.parse(invocation, body, name(), LOG);
  }

  static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return s.replaceAll("[\\r\\n]+", " ");
  }
}
