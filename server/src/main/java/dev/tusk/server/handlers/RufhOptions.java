package dev.tusk.server.handlers;

import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.rufh.InteropVersion;
import dev.tusk.server.rufh.RufhHeaders;
import dev.tusk.server.rufh.StructuredFields;
import dev.tusk.server.rufh.UploadLimits;
import io.undertow.server.HttpServerExchange;
import java.util.OptionalLong;

/**
 * What an OPTIONS response says about Resumable Uploads for HTTP. -05 on: "A server that supports
 * the creation of a resumable upload resource ... under a target URI MUST include the
 * Upload-Limit header field with the corresponding limits in a response to an OPTIONS request
 * sent to this target URI"; -10 and -11: it "MUST include the Accept-Patch header field ... The
 * value of the Accept-Patch header field MUST include the full application/partial-upload media
 * type". The lifetime key follows the request's interop version ({@code expires} for 6), the
 * newest when it names none; {@code Accept-Patch} is sent to every version, since earlier drafts
 * do not forbid it and a client of a later one may ask without naming its version.
 */
final class RufhOptions {
  private RufhOptions() {}

  static void announce(HttpServerExchange exchange, ServerConfig config) {
    String raw = exchange.getRequestHeaders().getFirst(RufhHeaders.INTEROP_VERSION);
    OptionalLong number = StructuredFields.parseInteger(raw);
    InteropVersion v =
        number.isPresent()
            ? InteropVersion.of(number.getAsLong()).orElse(InteropVersion.newest())
            : InteropVersion.newest();
    exchange.getResponseHeaders().put(
        RufhHeaders.UPLOAD_LIMIT, UploadLimits.header(v, config.maxSize(), config.defaultTtl()));
    exchange.getResponseHeaders().put(RufhHeaders.ACCEPT_PATCH, RufhHeaders.PARTIAL_UPLOAD);
  }
}
