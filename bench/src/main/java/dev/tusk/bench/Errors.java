package dev.tusk.bench;

/** How a failure is named in a result: the exception, and where in the bench it came from. */
final class Errors {
  private Errors() {}

  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    if (e instanceof RuntimeException || e instanceof Error) {
      for (StackTraceElement frame : e.getStackTrace()) {
        if (frame.getClassName().startsWith("dev.tusk.bench")) {
          sb.append(" at ").append(frame);
          break;
        }
      }
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      sb.append(" (cause: ").append(describe(cause)).append(')');
    }
    return sb.toString();
  }
}
