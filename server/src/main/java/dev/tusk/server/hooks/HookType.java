package dev.tusk.server.hooks;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The events a hook receiver can be told about, with tusd's names on the wire. Blocking hooks may
 * reject what is about to happen; the others are notifications. {@code pre-access} is tusk's own
 * (modelled on tusd PR #1077), and so is {@code post-expiry-change}: an upload's expiry was
 * changed or the upload is kept until deleted.
 */
public enum HookType {
  PRE_CREATE("pre-create", true, true),
  POST_CREATE("post-create", false, true),
  POST_RECEIVE("post-receive", false, true),
  PRE_FINISH("pre-finish", true, false),
  POST_FINISH("post-finish", false, true),
  PRE_TERMINATE("pre-terminate", true, false),
  POST_TERMINATE("post-terminate", false, true),
  PRE_ACCESS("pre-access", true, false),
  POST_EXPIRY_CHANGE("post-expiry-change", false, false);

  private final String wireName;
  private final boolean blocking;
  private final boolean enabledByDefault;

  HookType(String wireName, boolean blocking, boolean enabledByDefault) {
    this.wireName = wireName;
    this.blocking = blocking;
    this.enabledByDefault = enabledByDefault;
  }

  /** The name in the {@code Type} field and the {@code Hook-Name} header, e.g. {@code pre-create}. */
  public String wireName() {
    return wireName;
  }

  /** True if the server waits for the receivers' answer and may be stopped by it. */
  public boolean blocking() {
    return blocking;
  }

  /** True for the notifications that go through the durable outbox (at-least-once). */
  public boolean durable() {
    return this == POST_CREATE || this == POST_FINISH || this == POST_TERMINATE
        || this == POST_EXPIRY_CHANGE;
  }

  /** tusd's default set (pre-finish and pre-terminate off) without tusk's pre-access and
   *  post-expiry-change. */
  public static Set<HookType> defaults() {
    Set<HookType> set = EnumSet.noneOf(HookType.class);
    for (HookType t : values()) {
      if (t.enabledByDefault) {
        set.add(t);
      }
    }
    return set;
  }

  /** The type named {@code name} ({@code pre-create}, {@code PRE_CREATE}, ...), if any. */
  public static Optional<HookType> parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (HookType t : values()) {
      if (t.wireName.equals(n)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
