package dev.tusk.core;

import java.io.IOException;

/**
 * Capability: remembers that an upload id was handed out once, whatever becomes of its upload.
 * Signed upload links fix their upload's id in advance and may create that upload only once,
 * ever; the record of that use must outlive the upload (deleted by its client, discarded after a
 * checksum mismatch, swept) and be seen by every process that shares the store, including after a
 * restart.
 */
public interface UseRecorder {
  /**
   * Records the first use of {@code id}, durably before it returns true. Atomic across every
   * process sharing the store: of concurrent calls for one id exactly one returns true.
   * {@link Terminator#terminate} leaves the record alone.
   *
   * @return true if this call recorded the first use, false if {@code id} was used before
   */
  boolean recordUse(UploadId id) throws IOException;
}
