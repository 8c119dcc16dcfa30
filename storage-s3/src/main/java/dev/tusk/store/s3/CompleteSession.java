package dev.tusk.store.s3;

import dev.tusk.core.AppendSession;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The session of a complete upload: it accepts no bytes (the server allows only an empty body at
 * offset == length, e.g. tus-java-client's closing PATCH) and changes nothing. After completion
 * the multipart upload and the {@code .part} record are gone, so there is nothing to reopen.
 */
final class CompleteSession implements AppendSession {
  private final UploadInfo info;

  CompleteSession(UploadInfo info) {
    this.info = info;
  }

  @Override
  public long offset() {
    return info.offset();
  }

  @Override
  public void write(ByteBuffer src) throws IOException {
    if (src.hasRemaining()) {
      throw new IOException("upload " + info.id() + " is complete; no bytes can be appended");
    }
  }

  @Override
  public UploadInfo commit() {
    return info;
  }

  @Override
  public void rollback() {}

  @Override
  public void close() {}
}
