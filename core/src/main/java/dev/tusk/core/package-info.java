/**
 * The upload model and the storage SPI. Nothing here knows HTTP or Undertow: values are immutable
 * records, absence is {@code Optional}, and every optional tus capability of a store is its own
 * interface ({@link dev.tusk.core.Terminator}, {@link dev.tusk.core.Concatenator}, {@link
 * dev.tusk.core.LengthDeferrer}, {@link dev.tusk.core.UploadLister}, ...) resolved once at start-up
 * into a {@link dev.tusk.core.StoreCapabilities}.
 */
package dev.tusk.core;
