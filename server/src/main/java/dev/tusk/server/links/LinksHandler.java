package dev.tusk.server.links;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.http.Problems;
import dev.tusk.server.http.Urls;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.policy.Scopes;
import dev.tusk.server.protocol.Ttl;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST <base path>links}: an authenticated caller with the {@code upload} scope asks for a
 * signed link that lets someone else upload one file; the answer is 201 with {@code signed_url}
 * (the endpoint to give tus-js-client, or to POST the file to), {@code expires_in}, {@code
 * expires_at}, {@code upload_id}, {@code upload_url} and {@code file_limits}.
 */
public final class LinksHandler {
  static final int MAX_BODY = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LinkSigner signer;
  private final LinkRequest.Bounds bounds;
  private final CallbackHosts callbackHosts;
  private final Optional<URI> publicBaseUrl;
  private final String basePath;
  private final boolean behindProxy;
  private final Clock clock;

  public LinksHandler(
      LinkSigner signer,
      LinkRequest.Bounds bounds,
      CallbackHosts callbackHosts,
      Optional<URI> publicBaseUrl,
      String basePath,
      boolean behindProxy,
      Clock clock) {
    this.signer = signer;
    this.bounds = bounds;
    this.callbackHosts = callbackHosts;
    this.publicBaseUrl = publicBaseUrl;
    this.basePath = basePath;
    this.behindProxy = behindProxy;
    this.clock = clock;
  }

  public void handle(HttpServerExchange exchange, Optional<Principal> issuer) {
    Principal principal =
        issuer.orElseThrow(
            () -> new TusException(
                ErrorCode.FORBIDDEN,
                "upload links are issued to authenticated callers (auth mode keys or jwt)"));
    if (!principal.has(Scopes.UPLOAD)) {
      throw new TusException(ErrorCode.FORBIDDEN, "issuing links needs the 'upload' scope");
    }
    if (exchange.getRequestContentLength() > MAX_BODY) {
      throw new TusException(ErrorCode.MAX_SIZE_EXCEEDED, "a link request is at most " + MAX_BODY + " bytes");
    }
    exchange.setMaxEntitySize(MAX_BODY);
    exchange.getRequestReceiver().receiveFullBytes(
        (ex, bytes) -> Guarded.run(ex, () -> respond(ex, principal, bytes)),
        (ex, error) ->
            Problems.send(ex, new TusException(ErrorCode.INVALID_REQUEST, "could not read the link request body", error)));
  }

  private void respond(HttpServerExchange exchange, Principal issuer, byte[] bytes) throws IOException {
    JsonNode body;
    try {
      body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      throw new TusException(ErrorCode.INVALID_REQUEST, "the body is not JSON");
    }
    Instant now = clock.instant();
    UploadLink link = LinkRequest.parse(body, issuer, now, bounds, callbackHosts);
    String token = signer.sign(link, now);
    String uploadUrl = Urls.upload(exchange, basePath, behindProxy, link.uploadId());
    String collection =
        publicBaseUrl
            .map(URI::toString)
            .orElse(uploadUrl.substring(0, uploadUrl.length() - link.uploadId().value().length()));
    ObjectNode out = JSON.createObjectNode();
    out.put("upload_id", link.uploadId().value());
    out.put("signed_url", collection + "?link=" + token);
    out.put("upload_url", uploadUrl);
    out.put("expires_in", Duration.between(now, link.expiresAt()).toSeconds());
    out.put("expires_at", link.expiresAt().toString());
    out.set("file_limits", limits(link));
    ObjectNode metadata = out.putObject("metadata");
    link.metadata().forEach(metadata::put);
    link.callback().ifPresent(c -> out.put("callback_url", c.toString()));
    out.put("owner", link.owner());
    byte[] json = JSON.writeValueAsBytes(out);
    exchange.setStatusCode(201);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, json.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(json));
  }

  private static ObjectNode limits(UploadLink link) {
    ObjectNode limits = JSON.createObjectNode();
    link.filename().ifPresent(v -> limits.put("filename", v));
    link.size().ifPresent(v -> limits.put("size", v));
    link.maxSize().ifPresent(v -> limits.put("max_size", v));
    var types = limits.putArray("content_types");
    link.contentTypes().forEach(types::add);
    link.sha256().ifPresent(v -> limits.put("sha256", v));
    link.md5().ifPresent(v -> limits.put("md5", v));
    if (Ttl.isNever(link.fileTtl())) {
      limits.putNull("ttl_seconds"); // the upload is kept until deleted
      limits.put("keep", true);
    } else {
      limits.put("ttl_seconds", link.fileTtl().toSeconds());
    }
    return limits;
  }
}
