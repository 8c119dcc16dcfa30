/**
 * The filesystem store, tusk's embedded default: {@link dev.tusk.store.fs.FsUploadStore} and the
 * package-private pieces it is built from (file layout and atomic writes, pending markers of
 * provisional sessions, the append session). Only code that maps uploads onto files of one local
 * directory belongs here; nothing here knows HTTP.
 */
package dev.tusk.store.fs;
