/**
 * One small handler per tus verb and the non-blocking body pump. Handlers parse headers on the
 * I/O thread, hand storage work to the storage executor and leave protocol decisions to
 * {@link dev.tusk.server.protocol}.
 */
package dev.tusk.server.handlers;
