package dev.tusk.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * The {@code %safeEx} conversion word of tusk's text log format: logback's stack trace, with the
 * message of every throwable in it (causes and suppressed ones included) escaped ({@link
 * LogText}). An exception's message may quote client input (a header value a parser rejected);
 * escaped, it stays on the stack trace's first line. Class names and frames come from the JVM.
 */
public final class EscapedThrowable extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy tp) {
    return super.throwableProxyToString(Escaped.of(tp));
  }

  /** A throwable proxy whose messages are escaped; everything else is the original's. */
  private record Escaped(IThrowableProxy original) implements IThrowableProxy {
    static IThrowableProxy of(IThrowableProxy tp) {
      return tp == null ? null : new Escaped(tp);
    }

    @Override
    public String getMessage() {
      return LogText.escapeControls(original.getMessage());
    }

    @Override
    public String getClassName() {
      return LogText.escapeControls(original.getClassName());
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return original.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return original.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return of(original.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = original.getSuppressed();
      if (suppressed == null) {
        return null;
      }
      IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        escaped[i] = of(suppressed[i]);
      }
      return escaped;
    }

    @Override
    public boolean isCyclic() {
      return original.isCyclic();
    }
  }
}
