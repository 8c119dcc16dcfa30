/**
 * Access control: who may call (API keys, JWTs, a signed link's token), what they may touch
 * (owners and scopes, decided by {@link dev.tusk.server.auth.AccessPolicy} before any other check)
 * and the request filter that applies it with the {@link dev.tusk.server.limits} and serves the
 * {@link dev.tusk.server.links} route. {@link dev.tusk.server.auth.Security} builds the filter and
 * the {@link dev.tusk.server.policy.UploadPolicy} from one {@link dev.tusk.server.auth.AuthConfig};
 * only the wiring (the CLI and the configuration) depends on this package.
 */
package dev.tusk.server.auth;
