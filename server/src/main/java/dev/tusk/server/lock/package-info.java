/** The single-process locker; the fleet's Redis locker lives in its own module. */
package dev.tusk.server.lock;
