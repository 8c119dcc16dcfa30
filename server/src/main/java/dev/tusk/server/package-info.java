/** The tusk server: configuration, wiring of the handler chain, and the server lifecycle. */
package dev.tusk.server;
