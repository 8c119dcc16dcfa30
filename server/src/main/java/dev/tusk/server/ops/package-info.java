/**
 * Running tusk in production: the request log and metrics handler, health and readiness, the
 * graceful-shutdown gate and the registry of in-flight bodies, TLS from PEM files and the logging
 * set-up.
 */
package dev.tusk.server.ops;
