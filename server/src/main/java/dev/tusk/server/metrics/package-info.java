/**
 * Metrics (Micrometer, exposed in the Prometheus format) and the upload lifecycle events: the
 * meters themselves ({@link dev.tusk.server.metrics.TuskMetrics}) and the decorators that feed
 * them without the handlers knowing (a metered store, append session and locker).
 */
package dev.tusk.server.metrics;
