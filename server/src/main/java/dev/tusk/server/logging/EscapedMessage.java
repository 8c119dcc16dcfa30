package dev.tusk.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %safeMsg} conversion word of tusk's text log format: the formatted message with every
 * control character escaped ({@link LogText}). Every logger's message passes through it, so a
 * client-controlled value placed in a message (a request path, an exception's text) cannot end the
 * line, start a forged one or carry a terminal escape — whichever logger wrote it.
 */
public final class EscapedMessage extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogText.escapeControls(event.getFormattedMessage());
  }
}
