package dev.tusk.server.metrics;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadStore;
import dev.tusk.server.ops.StoreHealth;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Wraps a store so every operation is timed ({@code tusk_store_operation_seconds}) and its outcome
 * reported to the {@link StoreHealth} (except the readiness probe's, which readiness judges
 * itself). The wrapper is a dynamic proxy implementing
 * exactly the {@code dev.tusk.core} interfaces the store implements, so capability detection
 * ({@code instanceof Terminator}, the advertised {@code Tus-Extension}) sees what it would see on
 * the store itself. Results pass through unchanged — an {@code openRead} channel that is a {@link
 * java.nio.channels.FileChannel} stays one (sendfile) — except append sessions, which are wrapped
 * to time writes and commits. Thread-safe if the store is.
 */
public final class MeteredStore implements InvocationHandler {
  private static final String CORE_PACKAGE = UploadStore.class.getPackageName();
  private static final String PROBE = "probe";
  private final UploadStore store;
  private final TuskMetrics metrics;
  private final StoreHealth health;

  private MeteredStore(UploadStore store, TuskMetrics metrics, StoreHealth health) {
    this.store = store;
    this.metrics = metrics;
    this.health = health;
  }

  /** The metered view of {@code store}, reporting to a health tracker of its own. */
  public static UploadStore wrap(UploadStore store, TuskMetrics metrics) {
    return wrap(store, metrics, new StoreHealth(java.time.Clock.systemUTC()));
  }

  /** The metered view of {@code store}, reporting every call's outcome to {@code health}. */
  public static UploadStore wrap(UploadStore store, TuskMetrics metrics, StoreHealth health) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    collectCoreInterfaces(store.getClass(), interfaces);
    return (UploadStore)
        Proxy.newProxyInstance(
            UploadStore.class.getClassLoader(),
            interfaces.toArray(Class<?>[]::new),
            new MeteredStore(store, metrics, health));
  }

  /** Reports a failed store call to the health tracker and counts it by kind. */
  static void failed(StoreHealth health, TuskMetrics metrics, Throwable failure) {
    health.failed(failure).ifPresent(kind -> metrics.storeError(kind.tag()));
  }

  private static void collectCoreInterfaces(Class<?> type, Set<Class<?>> out) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.getPackageName().equals(CORE_PACKAGE)) {
          out.add(i);
        }
        collectCoreInterfaces(i, out);
      }
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "metered " + store;
      };
    }
    String operation = method.getName();
    long start = System.nanoTime();
    boolean ok = false;
    Object result;
    try {
      result = method.invoke(store, args);
      ok = true;
    } catch (InvocationTargetException e) {
      if (!PROBE.equals(operation)) {
        failed(health, metrics, e.getCause());
      }
      throw e.getCause();
    } finally {
      metrics.storeOperation(operation, ok, System.nanoTime() - start);
    }
    if (!PROBE.equals(operation)) {
      health.succeeded();
    }
    return result instanceof AppendSession session
        ? new MeteredAppendSession(session, metrics, health)
        : result;
  }
}
