package dev.tusk.server.http;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Map;

/**
 * tus: "If the Client's version is not supported by the Server, it MUST respond with the 412
 * Precondition Failed status and MUST include the Tus-Version header into the response. In
 * addition, the Server MUST NOT process the request." OPTIONS ignores the header, and so do GET
 * (downloads are plain HTTP), and so does a PATCH of an upload's details (a backend's JSON
 * request). Requests of another dialect (the single-request upload) are told apart before this
 * check, by the router.
 */
public final class TusVersion {
  private TusVersion() {}

  /** Throws the 412 unless the request speaks this server's tus version or needs none. */
  public static void require(HttpServerExchange exchange) {
    HttpString method = exchange.getRequestMethod();
    // a PATCH of <upload URL>/details is a backend's JSON request, not tus
    if (Methods.OPTIONS.equals(method) || Methods.GET.equals(method)
        || (Methods.PATCH.equals(method) && exchange.getRequestPath().endsWith("/details"))) {
      return;
    }
    String version = TusHeaders.single(exchange, TusHeaders.TUS_RESUMABLE);
    if (!TusHeaders.VERSION.equals(version)) {
      throw new TusException(
          ErrorCode.UNSUPPORTED_VERSION,
          version == null
              ? "the Tus-Resumable header is missing; this server speaks tus " + TusHeaders.VERSION
              : "tus version '" + version.replaceAll("[^\\x20-\\x7e]", "?")
                  + "' is not supported; this server speaks " + TusHeaders.VERSION,
          Map.of(TusHeaders.TUS_VERSION.toString(), TusHeaders.VERSION),
          null);
    }
  }
}
