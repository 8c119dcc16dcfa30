package dev.tusk.core;

import java.io.IOException;
import java.util.List;

/** Capability: the tus concatenation extension. */
public interface Concatenator {
  /**
   * Fills the existing, empty final upload {@code target} with the bytes of {@code partials} in
   * order and returns it complete (offset = length = sum of the partials' lengths). Every partial
   * is complete; the server holds the lock of {@code target}. The partials are left as they are.
   */
  UploadInfo concatenate(UploadInfo target, List<UploadInfo> partials) throws IOException;
}
