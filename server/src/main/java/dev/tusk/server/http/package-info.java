/**
 * HTTP plumbing shared by every handler: header names, the one error mapping function, CORS,
 * method override and the protocol-version check. Small final handlers with {@code next} passed
 * in the constructor.
 */
package dev.tusk.server.http;
