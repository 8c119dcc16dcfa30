package dev.tusk.store.fs;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Tells a write that failed for lack of space from other I/O failures, so the server answers 507
 * rather than 500. The JDK reports {@code ENOSPC} and {@code EDQUOT} only as the text of an {@link
 * IOException}, and that text is the platform's; so a failure also counts as "full" when the file
 * system has less than {@value #ALMOST_NONE} bytes left for this process right after it. Failures
 * that name another cause (the file exists, is missing, is not permitted) never count. Stateless.
 */
final class NoSpace {
  /** Below this many usable bytes a failed write is taken to have failed for lack of space. */
  static final long ALMOST_NONE = 64 * 1024;

  static final String DETAIL = "the upload storage is full; retry once space has been freed";

  private NoSpace() {}

  /**
   * Throws {@link TusException} {@link ErrorCode#STORAGE_FULL} (no path in its detail; {@code
   * failure} is its cause) if {@code failure} came from a lack of space in {@code directory};
   * otherwise returns {@code failure} for the caller to throw.
   */
  static IOException check(Path directory, IOException failure) {
    if (isFull(directory, failure)) {
      throw new TusException(ErrorCode.STORAGE_FULL, DETAIL, failure);
    }
    return failure;
  }

  static boolean isFull(Path directory, IOException failure) {
    if (failure instanceof FileAlreadyExistsException
        || failure instanceof NoSuchFileException
        || failure instanceof AccessDeniedException
        || failure instanceof DirectoryNotEmptyException
        || failure instanceof NotDirectoryException) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && namesLackOfSpace(message)) {
        return true;
      }
    }
    try {
      return Files.getFileStore(directory).getUsableSpace() < ALMOST_NONE;
    } catch (IOException | RuntimeException unknown) {
      return false;
    }
  }

  private static boolean namesLackOfSpace(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("no space left on device") || m.contains("disk quota exceeded");
  }
}
