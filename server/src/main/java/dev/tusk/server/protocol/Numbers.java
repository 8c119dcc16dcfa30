package dev.tusk.server.protocol;

import java.util.OptionalLong;

/** Parsing of the non-negative decimal integers tus headers carry. */
final class Numbers {
  private Numbers() {}

  /** The value if {@code s} is a non-negative decimal integer that fits a long, else empty. */
  static OptionalLong nonNegative(String s) {
    if (s == null || s.isEmpty() || s.length() > 19) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
    }
    try {
      return OptionalLong.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
