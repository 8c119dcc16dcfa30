/**
 * The upload service: the one place a request loads an upload (deciding access first), creates
 * one, settles a concatenation and finishes an upload. Handlers of every dialect and the expiry
 * sweeper go through it; it speaks only the storage SPI and the upload policy.
 */
package dev.tusk.server.uploads;
