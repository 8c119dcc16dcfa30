package dev.tusk.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A store's required core and the optional capabilities it has, resolved once when the server
 * starts. Everything that depends on a capability reads it from here: the advertised {@code
 * Tus-Extension} list, the routes offered (DELETE only with a {@link Terminator}), the handlers'
 * decisions (a deferred length only with a {@link LengthDeferrer}, {@code Upload-Concat} only with
 * a {@link Concatenator}), the expiry sweeper and the metrics, which wrap each capability
 * explicitly. {@link #of} is the one place that asks which interfaces a store implements;
 * nothing else does.
 *
 * <p><b>Adding a capability</b> is one line: its interface in {@link #OPTIONAL}. Callers then
 * read it with {@link #get}; a typed accessor such as {@link #terminator()} is a convenience, and
 * the metrics time it once {@code MeteredStore.wrap} is taught to (until then it passes through
 * unmetered).
 *
 * <p>Immutable and thread-safe; the capabilities are the store's own objects (or their
 * decorations) and are as thread-safe as the store.
 */
public final class StoreCapabilities {
  /** Every optional capability a store may have, in a stable order. */
  private static final List<Class<?>> OPTIONAL =
      List.of(
          Terminator.class,
          LengthDeferrer.class,
          Concatenator.class,
          UploadLister.class,
          UseRecorder.class,
          LocalReads.class,
          ExpiryIndex.class);

  private final UploadStore store;
  private final Map<Class<?>, Object> present;

  private StoreCapabilities(UploadStore store, Map<Class<?>, Object> present) {
    this.store = store;
    this.present = present;
  }

  /** The capabilities {@code store} implements, each as the store itself. */
  public static StoreCapabilities of(UploadStore store) {
    Map<Class<?>, Object> present = new LinkedHashMap<>();
    for (Class<?> capability : OPTIONAL) {
      if (capability.isInstance(store)) {
        present.put(capability, store);
      }
    }
    return new StoreCapabilities(store, present);
  }

  /** Every optional capability a store may have, whether or not this one has it. */
  public static List<Class<?>> optional() {
    return OPTIONAL;
  }

  /** The required core: create, find, update, append, read, probe. */
  public UploadStore store() {
    return store;
  }

  /**
   * The capability, or empty if the store lacks it.
   *
   * @throws IllegalArgumentException if {@code capability} is not one of {@link #optional()}
   */
  public <T> Optional<T> get(Class<T> capability) {
    known(capability);
    return Optional.ofNullable(capability.cast(present.get(capability)));
  }

  /** Whether the store has {@code capability} (one of {@link #optional()}). */
  public boolean has(Class<?> capability) {
    return get(capability).isPresent();
  }

  /** tus termination; also what the expiry sweeper deletes with. */
  public Optional<Terminator> terminator() {
    return get(Terminator.class);
  }

  /** tus creation-defer-length. */
  public Optional<LengthDeferrer> lengthDeferrer() {
    return get(LengthDeferrer.class);
  }

  /** tus concatenation. */
  public Optional<Concatenator> concatenator() {
    return get(Concatenator.class);
  }

  /** Enumeration of the stored uploads, for the expiry sweeper. */
  public Optional<UploadLister> lister() {
    return get(UploadLister.class);
  }

  /** A durable record of used upload ids, for signed upload links. */
  public Optional<UseRecorder> useRecorder() {
    return get(UseRecorder.class);
  }

  /** Reads that touch only a local file system. */
  public Optional<LocalReads> localReads() {
    return get(LocalReads.class);
  }

  /** The same capabilities over another core (a decoration of {@link #store()}). */
  public StoreCapabilities withStore(UploadStore core) {
    return new StoreCapabilities(core, present);
  }

  /** These capabilities with {@code capability}, if present, replaced by {@code decorate}'s result. */
  public <T> StoreCapabilities decorate(Class<T> capability, UnaryOperator<T> decorate) {
    Optional<T> current = get(capability);
    if (current.isEmpty()) {
      return this;
    }
    Map<Class<?>, Object> changed = new LinkedHashMap<>(present);
    changed.put(capability, decorate.apply(current.get()));
    return new StoreCapabilities(store, changed);
  }

  /** These capabilities without {@code capability}: what a store lacking it offers. */
  public StoreCapabilities without(Class<?> capability) {
    known(capability);
    Map<Class<?>, Object> changed = new LinkedHashMap<>(present);
    changed.remove(capability);
    return new StoreCapabilities(store, changed);
  }

  @Override
  public String toString() {
    return store + " with "
        + present.keySet().stream().map(Class::getSimpleName).toList();
  }

  private static void known(Class<?> capability) {
    if (!OPTIONAL.contains(capability)) {
      throw new IllegalArgumentException(capability.getName() + " is not a store capability");
    }
  }
}
