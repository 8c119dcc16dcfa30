/**
 * The command line (picocli): {@code tusk serve}, {@code tusk config} and {@code tusk health}. Their
 * flags come from the options table of {@link dev.tusk.server.config.Options}.
 */
package dev.tusk.server.cli;
