package dev.tusk.core;

/** The role of an upload in the tus concatenation extension. */
public enum ConcatKind {
  /** An ordinary upload. */
  NONE,
  /** {@code Upload-Concat: partial}: a piece meant to be concatenated. */
  PARTIAL,
  /** {@code Upload-Concat: final;...}: the concatenation of partial uploads. */
  FINAL
}
