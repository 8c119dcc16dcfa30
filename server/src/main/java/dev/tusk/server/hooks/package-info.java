/**
 * Hooks: tusd-compatible HTTP and file hooks as an {@link dev.tusk.server.policy.UploadPolicy}.
 * Blocking hooks ({@code pre-*}) run in the caller's thread and combine with "any rejection wins";
 * notifications ({@code post-create}, {@code post-finish}, {@code post-terminate}) go through a
 * durable outbox and are delivered at least once with an idempotency key. Entry point: {@link
 * dev.tusk.server.hooks.Hooks#create}. See {@code docs/hooks.md}.
 */
package dev.tusk.server.hooks;
