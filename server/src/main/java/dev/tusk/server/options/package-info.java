/**
 * Options: the table of every option ({@link dev.tusk.server.options.ServerOptions}, with {@link
 * dev.tusk.server.options.AuthOptions} and {@link dev.tusk.server.options.HooksOptions} for their
 * sections), their resolution from flags, {@code TUSK_*} variables, a YAML file and defaults
 * ({@link dev.tusk.server.options.Settings}), the readers that turn settings into checked config
 * values ({@link dev.tusk.server.options.ServerConfigReader} for {@link
 * dev.tusk.server.config.ServerConfig}, and the auth and hooks twins) and the views for people
 * ({@code tusk config}). Sits above {@code auth} and {@code hooks}, whose configs it reads; no
 * Undertow here.
 */
package dev.tusk.server.options;
