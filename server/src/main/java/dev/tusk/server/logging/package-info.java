/**
 * What tusk writes to its log: the logging set-up (text or JSON lines), the escaping that keeps
 * client-controlled text from forging lines, and the request log with its counters ({@link
 * dev.tusk.server.logging.RequestObserver}).
 */
package dev.tusk.server.logging;
