package dev.tusk.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ListenersTest {
  @Test
  void bufferPool_aBufferFreedOnAnotherThread_isReusedByTheThreadThatAllocates() throws Exception {
    // a request's first buffer is allocated by an I/O thread and freed by the storage thread that
    // reads the rest of the body; Undertow's default pool would release it to the system
    ByteBufferPool pool = Listeners.bufferPool();
    try {
      PooledByteBuffer first = pool.allocate();
      ByteBuffer bytes = first.getBuffer();
      Thread storage = new Thread(first::close);
      storage.start();
      storage.join(10_000);

      try (PooledByteBuffer again = pool.allocate()) {
        assertThat(again.getBuffer()).isSameAs(bytes);
        assertThat(again.getBuffer().capacity()).isEqualTo(Listeners.BUFFER_SIZE);
      }
    } finally {
      pool.close();
    }
  }
}
