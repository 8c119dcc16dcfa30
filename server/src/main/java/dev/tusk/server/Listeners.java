package dev.tusk.server;

import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.http.FramingHandler;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import java.time.Duration;
import org.xnio.Options;

/** Builds Undertow: the main listener (HTTP, or HTTPS with TLS) and the optional management one. */
final class Listeners {
  /** Undertow's buffer size: a request head and the first bytes of its body; a response head. */
  static final int BUFFER_SIZE = 16 * 1024;

  /** Freed buffers kept for reuse beyond the per-thread caches (4 MiB at most). */
  private static final int POOLED_BUFFERS = 256;

  private Listeners() {}

  /**
   * Undertow's buffers for reading requests and writing response heads. Undertow's own default
   * pool keeps freed buffers only in a cache of the thread that frees them, and only on a thread
   * that allocated from it; anything else goes back to the operating system. A request body is
   * read by a storage thread, which frees the I/O thread's read buffer that held its first bytes,
   * so every PATCH and every POST with a body cost the I/O thread a new direct buffer (allocated,
   * zeroed, registered with a cleaner) and the storage thread a release. Here those buffers go
   * to a shared queue the I/O threads take from. Direct, as Undertow chooses for heaps of 128 MiB
   * and more.
   */
  static ByteBufferPool bufferPool() {
    boolean direct = Runtime.getRuntime().maxMemory() >= 128L * 1024 * 1024;
    return new DefaultByteBufferPool(direct, BUFFER_SIZE, POOLED_BUFFERS, 4);
  }

  /**
   * @param main the root handler of the main listener
   * @param management the root handler of the management listener on {@code metricsPort}; null
   *     when there is none
   * @param buffers from {@link #bufferPool()}; the caller closes it after Undertow stopped
   */
  static Undertow undertow(
      ServerConfig config, HttpHandler main, HttpHandler management, ByteBufferPool buffers) {
    Undertow.ListenerBuilder listener =
        new Undertow.ListenerBuilder().setHost(config.host()).setPort(config.port())
            .setRootHandler(new FramingHandler(main));
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
            .setByteBufferPool(buffers)
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
              .setRootHandler(new FramingHandler(management)));
    }
    return builder.build();
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
