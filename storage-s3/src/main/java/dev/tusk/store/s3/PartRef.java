package dev.tusk.store.s3;

/** An uploaded part: its number, ETag and size. */
record PartRef(int number, String etag, long size) {}
