package dev.tusk.core;

import java.io.IOException;

/** Capability: the tus termination extension, also used by the expiry sweeper. */
public interface Terminator {
  /** Deletes the upload's bytes and info. Deleting an upload that is already gone succeeds. */
  void terminate(UploadInfo info) throws IOException;
}
