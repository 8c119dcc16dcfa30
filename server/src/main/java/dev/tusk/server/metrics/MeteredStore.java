package dev.tusk.server.metrics;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Wraps a store so every operation is timed ({@code tusk_store_operation_seconds}). The wrapper is a dynamic proxy implementing
 * exactly the {@code dev.tusk.core} interfaces the store implements, so capability detection
 * ({@code instanceof Terminator}, the advertised {@code Tus-Extension}) sees what it would see on
 * the store itself. Results pass through unchanged — an {@code openRead} channel that is a {@link
 * java.nio.channels.FileChannel} stays one (sendfile) — except append sessions, which are wrapped
 * to time writes and commits. Thread-safe if the store is.
 */
public final class MeteredStore implements InvocationHandler {
  private static final String CORE_PACKAGE = UploadStore.class.getPackageName();
  private final UploadStore store;
  private final TuskMetrics metrics;

  private MeteredStore(UploadStore store, TuskMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  /** The metered view of {@code store}. */
  public static UploadStore wrap(UploadStore store, TuskMetrics metrics) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    collectCoreInterfaces(store.getClass(), interfaces);
    return (UploadStore)
        Proxy.newProxyInstance(
            UploadStore.class.getClassLoader(),
            interfaces.toArray(Class<?>[]::new),
            new MeteredStore(store, metrics));
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
      throw e.getCause();
    } finally {
      metrics.storeOperation(operation, ok, System.nanoTime() - start);
    }
    return result instanceof AppendSession session ? new MeteredAppendSession(session, metrics) : result;
  }
}
