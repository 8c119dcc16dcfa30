package dev.tusk.core;

import java.io.IOException;

/** Capability: the tus creation-defer-length extension. */
public interface LengthDeferrer {
  /**
   * Sets the length of an upload created with a deferred length and returns it as stored. The
   * server has checked that the length was not set yet and is not below the offset.
   */
  UploadInfo declareLength(UploadInfo info, long length) throws IOException;
}
