/**
 * The validated configuration of one server ({@link dev.tusk.server.config.ServerConfig}), which
 * every layer reads. A plain value with no imports from the server; {@link dev.tusk.server.options}
 * builds it from flags, environment, YAML and defaults.
 */
package dev.tusk.server.config;
