/**
 * Access control: who may call (API keys, JWTs, signed upload links), what they may touch (owners
 * and scopes), what a link or credential allows (size, types, checksum, time to live), and how
 * much they may ask of the server (rate limits, concurrent uploads, bytes in flight, minimum
 * upload speed, header and metadata sizes). {@link dev.tusk.server.auth.Security} builds the
 * request filter and the {@link dev.tusk.server.policy.UploadPolicy} from one {@link
 * dev.tusk.server.auth.AuthConfig}; nothing else in the server depends on this package.
 */
package dev.tusk.server.auth;
