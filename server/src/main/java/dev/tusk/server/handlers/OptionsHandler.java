package dev.tusk.server.handlers;

import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.http.TusHeaders;
import dev.tusk.server.protocol.ChecksumAlgorithm;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;

/**
 * OPTIONS: tus "An OPTIONS request MAY be used to gather information about the Server's current
 * configuration. A successful response indicated by the 204 No Content or 200 OK status MUST
 * contain the Tus-Version header."
 */
public final class OptionsHandler implements HttpHandler {
  private final String extensions;
  private final long maxSize;
  private final ServerConfig config;

  public OptionsHandler(TusContext ctx) {
    this.extensions = String.join(",", ctx.extensions());
    this.maxSize = ctx.config().maxSize();
    this.config = ctx.config();
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    HeaderMap h = exchange.getResponseHeaders();
    h.put(TusHeaders.TUS_VERSION, TusHeaders.VERSION);
    h.put(TusHeaders.TUS_EXTENSION, extensions);
    if (maxSize > 0) {
      h.put(TusHeaders.TUS_MAX_SIZE, maxSize);
    }
    h.put(TusHeaders.TUS_CHECKSUM_ALGORITHM, ChecksumAlgorithm.ADVERTISED);
    if (config.rufh().enabled()) {
      RufhOptions.announce(exchange, config);
    }
    exchange.setStatusCode(204);
    exchange.endExchange();
  }
}
