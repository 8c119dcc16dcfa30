package dev.tusk.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Receives a response body in chunks; a chunk is only valid during the call. */
@FunctionalInterface
interface BodySink {
  BodySink DISCARD = chunk -> {};

  void accept(ByteBuffer chunk) throws IOException;
}
