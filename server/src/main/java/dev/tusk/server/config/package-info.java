/**
 * Configuration: the table of every option ({@link dev.tusk.server.config.ServerOptions}), their
 * resolution from flags, {@code TUSK_*} variables, a YAML file and defaults ({@link
 * dev.tusk.server.config.Settings}), the readers that turn them into the validated config values ({@code ServerConfigReader} into
 * {@link dev.tusk.server.ServerConfig}, {@code HooksConfigReader}, {@code AuthConfigReader}) and the
 * views for people ({@code tusk config}). No Undertow here.
 */
package dev.tusk.server.config;
