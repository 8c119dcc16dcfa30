/**
 * Resumable Uploads for HTTP (the IETF draft draft-ietf-httpbis-resumable-upload), interop
 * versions 3 to 9, as pure rules: which version a request speaks ({@link Dialect}), what each
 * version requires ({@link InteropVersion}), how its header fields are read and written
 * ({@link StructuredFields}, {@link RufhRequest}, {@link UploadLimits}) and the problem documents
 * it defines ({@link RufhProblems}). No exchange and no I/O here: the handlers in {@code
 * dev.tusk.server.handlers} translate between these rules and the one upload model.
 */
package dev.tusk.server.rufh;
