/**
 * The command line (picocli): {@code tusk serve}, {@code tusk config}, {@code tusk health} and
 * {@code tusk hash-key}. The flags of the first three come from the options table of {@link
 * dev.tusk.server.options.ServerOptions}.
 */
package dev.tusk.server.cli;
