package dev.tusk.core;

import java.io.IOException;
import java.util.stream.Stream;

/** Capability: enumerate uploads, used by the expiry sweeper. */
public interface UploadLister {
  /**
   * Every upload id currently stored, in no particular order. The stream may be lazy and must be
   * closed; uploads created or deleted while it is consumed may or may not appear.
   */
  Stream<UploadId> list() throws IOException;
}
