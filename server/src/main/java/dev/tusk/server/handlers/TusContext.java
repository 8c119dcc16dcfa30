package dev.tusk.server.handlers;

import dev.tusk.core.Locker;
import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.health.InFlight;
import dev.tusk.server.policy.UploadPolicy;
import dev.tusk.server.uploads.UploadService;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * What every tus handler needs: the configuration, the uploads, the locker, the storage executor
 * (all blocking work runs there), the body buffers, the advertised extensions and the policy
 * (hooks, access control) consulted at every step of an upload's life, and the registry of
 * in-flight request bodies (asked to stop on shutdown).
 */
public record TusContext(
    ServerConfig config,
    UploadService uploads,
    Locker locker,
    Executor storage,
    BufferPool buffers,
    List<String> extensions,
    UploadPolicy policy,
    InFlight inFlight) {

  /** A context with a registry of in-flight bodies of its own. */
  public TusContext(
      ServerConfig config,
      UploadService uploads,
      Locker locker,
      Executor storage,
      BufferPool buffers,
      List<String> extensions,
      UploadPolicy policy) {
    this(config, uploads, locker, storage, buffers, extensions, policy, new InFlight());
  }
}
