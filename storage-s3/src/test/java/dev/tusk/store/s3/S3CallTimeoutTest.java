package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3TestSupport.MIB;
import static dev.tusk.store.s3.S3TestSupport.append;
import static dev.tusk.store.s3.S3TestSupport.draft;
import static dev.tusk.store.s3.S3TestSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.UploadInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What the call timeout bounds, and what it must not. */
class S3CallTimeoutTest extends S3StoreTestBase {

  @Test
  void download_readSlowerThanTheCallTimeout_isNotCutOff() throws Exception {
    S3StoreConfig config = config();
    S3UploadStore writer = open(config);
    byte[] data = randomBytes(6 * MIB, 21);
    UploadInfo done =
        append(writer, writer.create(draft(OptionalLong.of(data.length))), data, 0, data.length);
    S3UploadStore store =
        open(
            config.toBuilder()
                .callTimeout(Duration.ofMillis(700))
                .tempDir(temp.resolve("reader"))
                .build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReadableByteChannel ch = store.openRead(done, 0, data.length)) {
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      int n;
      boolean paused = false;
      while ((n = ch.read(buf.clear())) >= 0) {
        out.write(buf.array(), 0, n);
        if (!paused) {
          Thread.sleep(1_500); // a client reading slowly: the store call ended with openRead
          paused = true;
        }
      }
    }
    assertThat(out.toByteArray()).isEqualTo(data);
  }
}
