/** The command line (picocli): {@code tusk serve}. */
package dev.tusk.server.cli;
