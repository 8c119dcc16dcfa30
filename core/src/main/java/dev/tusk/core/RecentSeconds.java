package dev.tusk.core;

import java.util.function.LongFunction;

/**
 * Texts of recently formatted seconds, direct-mapped by epoch second, in front of a formatter that
 * is slow for what it does (the JDK's {@code DateTimeFormatter}). The server formats the same few
 * seconds over and over: a download's {@code Last-Modified} and {@code Upload-Expires}, the
 * instants of every upload info a store writes. Entries are immutable, so a racing reader sees a
 * whole entry or another one; a collision only costs a format. Thread-safe if the formatter is.
 */
public final class RecentSeconds {
  private static final int SLOTS = 64;

  private final LongFunction<String> format;
  private final Entry[] recent = new Entry[SLOTS];

  private record Entry(long second, String text) {}

  /** @param format the text of an epoch second; called on a miss */
  public RecentSeconds(LongFunction<String> format) {
    this.format = format;
  }

  /** The text of {@code second}, formatted now or remembered from a recent call. */
  public String text(long second) {
    int slot = (int) (second ^ (second >>> 32)) & (SLOTS - 1);
    Entry entry = recent[slot];
    if (entry == null || entry.second() != second) {
      entry = new Entry(second, format.apply(second));
      recent[slot] = entry;
    }
    return entry.text();
  }
}
