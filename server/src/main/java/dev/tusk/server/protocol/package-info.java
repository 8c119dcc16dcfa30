/**
 * Protocol decisions as pure functions over header values and {@link dev.tusk.core.UploadInfo}
 * records: no exchange, no I/O, so table tests cover every rule. Each check quotes the sentence
 * of the tus 1.0.0 specification it implements.
 */
package dev.tusk.server.protocol;
