/**
 * Configuration: the table of every option ({@link dev.tusk.server.config.Options}), their
 * resolution from flags, {@code TUSK_*} variables, a YAML file and defaults ({@link
 * dev.tusk.server.config.Settings}), the mapping to {@link dev.tusk.server.ServerConfig} and the
 * views for people ({@code tusk config}). No Undertow here.
 */
package dev.tusk.server.config;
