/**
 * The top of the server: {@link dev.tusk.server.TuskServer} wires a store, a locker and a
 * configuration into the handler chain ({@link dev.tusk.server.HandlerChain}), the listeners and
 * TLS, and the management endpoints, and runs the lifecycle. Nothing below imports this package.
 */
package dev.tusk.server;
