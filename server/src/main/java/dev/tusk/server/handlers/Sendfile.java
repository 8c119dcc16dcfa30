package dev.tusk.server.handlers;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;

/**
 * A slice of a stored file sent with {@code sendfile} (Undertow's {@code transferFrom} on plain
 * HTTP/1.1): the fixed-length response conduit never sees more than asked.
 */
final class Sendfile {
  private Sendfile() {}

  /**
   * Sends {@code remaining} bytes of {@code file} from {@code position}, waiting (without
   * blocking) whenever the socket is full; then calls {@code then} once, on whichever thread
   * finished. A file shorter than promised fails with {@link EOFException}.
   */
  static void send(
      StreamSinkChannel sink, FileChannel file, long position, long remaining,
      BodySender.Continuation then) {
    long pos = position;
    long left = remaining;
    try {
      while (left > 0) {
        long n = sink.transferFrom(file, pos, left);
        if (n > 0) {
          pos += n;
          left -= n;
          continue;
        }
        if (pos >= file.size()) {
          throw new EOFException("the stored file ended " + left + " bytes early");
        }
        long p = pos;
        long l = left;
        BodySender.awaitWritable(sink, () -> send(sink, file, p, l, then));
        return;
      }
    } catch (IOException | RuntimeException e) {
      then.failed(e);
      return;
    }
    then.done();
  }
}
