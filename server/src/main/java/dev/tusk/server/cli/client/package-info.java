/**
 * The client commands {@code tusk upload} and {@code tusk download}: a resumable uploader for any
 * tus server (retries, resume from a local state file, parallel parts, checksums, deferred length
 * for standard input) and a downloader that continues partial files with {@code Range}. Built on
 * the JDK's HTTP client; protocol details shared with the server come from {@link
 * dev.tusk.server.protocol}.
 */
package dev.tusk.server.cli.client;
