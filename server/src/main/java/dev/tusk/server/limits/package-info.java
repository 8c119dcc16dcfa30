/**
 * How much a caller may ask of the server: per-credential size, type and TTL limits ({@link
 * dev.tusk.server.limits.Limits}), request rates per tier, concurrent uploads and bytes in flight.
 * Pure bookkeeping; the security filter applies it.
 */
package dev.tusk.server.limits;
