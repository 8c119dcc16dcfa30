package dev.tusk.server;

import dev.tusk.server.ops.Tls;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.time.Duration;
import org.xnio.Options;

/** Builds Undertow: the main listener (HTTP, or HTTPS with TLS) and the optional management one. */
final class Listeners {
  private Listeners() {}

  /**
   * @param main the root handler of the main listener
   * @param management the root handler of the management listener on {@code metricsPort}; null
   *     when there is none
   */
  static Undertow undertow(ServerConfig config, HttpHandler main, HttpHandler management) {
    Undertow.ListenerBuilder listener =
        new Undertow.ListenerBuilder().setHost(config.host()).setPort(config.port()).setRootHandler(main);
    if (config.tls().isPresent()) {
      listener
          .setType(Undertow.ListenerType.HTTPS)
          .setSslContext(Tls.context(config.tls().get()))
          .setHttp2Enabled(config.http2());
    } else {
      listener.setType(Undertow.ListenerType.HTTP).setHttp2Enabled(config.h2c());
    }
    Undertow.Builder builder =
        Undertow.builder()
            .addListener(listener)
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerThreads(4)
            .setBufferSize(16 * 1024)
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
            .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(config.idleTimeout()))
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, config.maxHeaderSize())
            .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
            .setSocketOption(Options.READ_TIMEOUT, millis(config.readTimeout()))
            .setSocketOption(Options.WRITE_TIMEOUT, millis(config.writeTimeout()));
    if (management != null) {
      builder.addListener(
          new Undertow.ListenerBuilder()
              .setType(Undertow.ListenerType.HTTP)
              .setHost(config.host())
              .setPort(config.metricsPort().getAsInt())
              .setRootHandler(management));
    }
    return builder.build();
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
