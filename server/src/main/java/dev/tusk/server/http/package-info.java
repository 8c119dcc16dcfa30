/**
 * HTTP plumbing shared by every handler: header names, the one error mapping function, CORS,
 * method override, the protocol-version check, and interim (1xx) responses. Small final handlers
 * with {@code next} passed in the constructor.
 */
package dev.tusk.server.http;
