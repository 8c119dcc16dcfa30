/**
 * The points where hooks and access control take part in a request: an exchange-free SPI
 * ({@link dev.tusk.server.policy.UploadPolicy}) called by the handlers, and the facts about the
 * request it sees ({@link dev.tusk.server.policy.RequestContext}, {@link
 * dev.tusk.server.policy.Principal}).
 */
package dev.tusk.server.policy;
