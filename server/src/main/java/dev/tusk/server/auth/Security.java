package dev.tusk.server.auth;

import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.UploadStore;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.http.Guarded;
import dev.tusk.server.limits.RateLimiter;
import dev.tusk.server.limits.UploadCaps;
import dev.tusk.server.links.CallbackHosts;
import dev.tusk.server.links.CallbackSender;
import dev.tusk.server.links.LinkConfig;
import dev.tusk.server.links.LinkRequest;
import dev.tusk.server.links.LinkSigner;
import dev.tusk.server.links.LinksHandler;
import dev.tusk.server.links.RequestStates;
import dev.tusk.server.policy.UploadPolicy;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * Access control as the server takes it: a {@link #filter()} for {@code
 * TuskServer.builder(config).filter(filter)} and a {@link #policy()} (compose it with hooks through {@code
 * UploadPolicies.of}; put it first so hooks see the owner). One instance per server; {@link
 * #close} stops callback deliveries.
 *
 * <p>Upload attributes it writes: {@value Principal#OWNER} (the owner id), {@code link} (the link's upload
 * id), {@code link.sha256} / {@code link.md5} / {@code link.callback} (what the link declared).
 */
public final class Security implements AutoCloseable {
  static final String LINK_TIER = "link";

  /** What the filter works with. */
  record Parts(
      AuthConfig config,
      Authenticator authenticator,
      LinkSigner signer,
      LinksHandler links,
      RateLimiter rateLimiter,
      UploadCaps uploadCaps,
      RequestStates states,
      MetricsGuard metrics) {}

  private final Parts parts;
  private final AccessPolicy policy;
  private final CallbackSender callbacks;
  private final String basePath;
  private final Clock clock;

  private Security(Parts parts, AccessPolicy policy, CallbackSender callbacks, String basePath, Clock clock) {
    this.parts = parts;
    this.policy = policy;
    this.callbacks = callbacks;
    this.basePath = basePath;
    this.clock = clock;
  }

  /**
   * @param server for the base path, proxy handling, maximum size and TTLs
   * @param store where the policy looks up partial uploads and reads files back for a link's
   *     checksum (and deletes them on a mismatch)
   * @throws IOException if the JWKS file cannot be read
   */
  public static Security create(AuthConfig config, ServerConfig server, UploadStore store, Clock clock)
      throws IOException {
    Authenticator authenticator =
        switch (config.mode()) {
          case NONE -> null;
          case KEYS -> new ApiKeyAuthenticator(config.keys());
          case JWT -> new JwtAuthenticator(config.jwt(), clock);
        };
    LinkConfig linkConfig = config.links();
    CallbackHosts hosts = new CallbackHosts(linkConfig.callbackHosts());
    LinkSigner signer = linkConfig.key().map(LinkSigner::new).orElse(null);
    LinksHandler links =
        signer == null
            ? null
            : new LinksHandler(
                signer,
                new LinkRequest.Bounds(
                    server.maxSize(), server.defaultTtl(), server.maxTtl(), linkConfig.defaultTtl(),
                    linkConfig.maxTtl(), config.maxMetadataKeys(), config.maxMetadataBytes()),
                hosts, linkConfig.publicBaseUrl(), server.basePath(), server.behindProxy(), clock);
    CallbackSender callbacks =
        signer == null ? null : new CallbackSender(linkConfig, hosts, server.basePath(), clock);
    RequestStates states = new RequestStates();
    Parts parts =
        new Parts(
            config, authenticator, signer, links, new RateLimiter(config.tiers(), clock),
            new UploadCaps(config.maxConcurrentUploads(), config.maxBytesInFlight()), states,
            new MetricsGuard(config, authenticator));
    return new Security(
        parts, new AccessPolicy(config, StoreCapabilities.of(store), clock, states, callbacks), callbacks,
        server.basePath(), clock);
  }

  /** Wraps the tus handlers: authentication, rate limits, caps, the links route. */
  public UnaryOperator<HttpHandler> filter() {
    return next -> new SecurityFilter(next, parts, basePath, clock);
  }

  /** Owners, scopes, limits, minimum speed, link checksums and callbacks. */
  public UploadPolicy policy() {
    return policy;
  }

  /**
   * Guards {@code /metrics} in front of {@code next} (the management handler, which answers
   * {@code /metrics} before the filter could see it): open unless {@link
   * AuthConfig#protectMetrics()} or a metrics key is configured; every other path passes.
   */
  public HttpHandler guardMetrics(HttpHandler next) {
    return exchange -> Guarded.run(exchange, () -> {
      if (exchange.getRequestPath().equals("/metrics")) {
        parts.metrics().check(exchange);
      }
      next.handleRequest(exchange);
    });
  }

  @Override
  public void close() {
    if (callbacks != null) {
      callbacks.close();
    }
  }
}
