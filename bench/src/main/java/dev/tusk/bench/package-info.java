/**
 * tusk's benchmark: a tus load generator over raw keep-alive HTTP/1.1 connections ({@link
 * dev.tusk.bench.HttpConnection}), the scenarios it runs ({@link dev.tusk.bench.Scenario}), the raw
 * ceiling server ({@link dev.tusk.bench.CeilingServer}) and the orchestration that starts tusk, the
 * peers and the ceiling side by side and writes docs/BENCHMARKS.md ({@link dev.tusk.bench.Compare}).
 *
 * <p>Nothing here is used by the server; the test suite only runs {@code BenchSmokeIT}.
 */
package dev.tusk.bench;
