/** The browser upload page: Uppy's Dashboard and tus plugin, served from the jar beside the uploads. */
package dev.tusk.server.page;
