package dev.tusk.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interop with tus-java-client 0.5.1, which sends every chunk as POST with {@code
 * X-HTTP-Method-Override: PATCH} and {@code Expect: 100-continue}, and resumes through a URL store.
 */
class TusJavaClientIT {
  static final int MIB = 1 << 20;
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();

  @Test
  @DisplayName(
      "tus-java-client: an upload paused after 8 of 20 one-MiB requests resumes through its URL"
          + " store from the server's offset and downloads byte-exact")
  void javaClient_pausedAndResumed_uploadsByteExact() throws Exception {
    byte[] data = Uploads.bytes(20 * MIB, 31);
    TusClient client = client(new TusURLMemoryStore());

    TusUploader first = client.resumeOrCreateUpload(upload(data, "paused"));
    first.setChunkSize(MIB);
    first.setRequestPayloadSize(MIB);
    for (int i = 0; i < 8; i++) {
      assertThat(first.uploadChunk()).isEqualTo(MIB);
    }
    first.finish();

    TusUploader second = client.resumeOrCreateUpload(upload(data, "paused"));
    assertThat(second.getUploadURL()).isEqualTo(first.getUploadURL());
    assertThat(second.getOffset()).isEqualTo(8L * MIB);
    finish(second);

    assertByteExact(second.getUploadURL(), data);
  }

  @Test
  @DisplayName(
      "tus-java-client: an uploader abandoned in the middle of a request is resumed by a new one,"
          + " which takes over the upload and completes it byte-exact")
  void javaClient_abandonedMidRequest_resumesAndUploadsByteExact() throws Exception {
    byte[] data = Uploads.bytes(20 * MIB, 32);
    TusURLMemoryStore store = new TusURLMemoryStore();

    TusUploader abandoned = client(store).resumeOrCreateUpload(upload(data, "abandoned"));
    abandoned.setChunkSize(MIB);
    abandoned.setRequestPayloadSize(4 * MIB);
    for (int i = 0; i < 6; i++) {
      abandoned.uploadChunk();
    }

    TusUploader resumed = client(store).resumeOrCreateUpload(upload(data, "abandoned"));
    assertThat(resumed.getUploadURL()).isEqualTo(abandoned.getUploadURL());
    assertThat(resumed.getOffset()).isBetween(4L * MIB, 6L * MIB);
    finish(resumed);

    assertByteExact(resumed.getUploadURL(), data);
  }

  @Test
  @DisplayName(
      "tus-java-client: a 20 MiB upload with the client's default chunk and request sizes downloads"
          + " byte-exact")
  void javaClient_defaultSettings_uploadsByteExact() throws Exception {
    byte[] data = Uploads.bytes(20 * MIB, 33);
    TusClient client = client(new TusURLMemoryStore());

    TusUploader uploader = client.resumeOrCreateUpload(upload(data, "defaults"));
    finish(uploader);

    assertByteExact(uploader.getUploadURL(), data);
    String metadata = tusk.tus().head(uploader.getUploadURL().getPath()).header("Upload-Metadata");
    assertThat(metadata).contains("filename " + Uploads.base64("defaults.bin"));
  }

  private static TusClient client(TusURLMemoryStore store) throws Exception {
    TusClient client = new TusClient();
    client.setUploadCreationURL(tusk.baseUri().toURL());
    client.enableResuming(store);
    return client;
  }

  private static TusUpload upload(byte[] data, String name) {
    TusUpload upload = new TusUpload();
    upload.setInputStream(new ByteArrayInputStream(data));
    upload.setSize(data.length);
    upload.setFingerprint("conformance-" + name);
    upload.setMetadata(Map.of("filename", name + ".bin"));
    return upload;
  }

  /** The client's documented loop: upload chunks until none is left, then finish. */
  private static void finish(TusUploader uploader) throws Exception {
    uploader.setChunkSize(MIB);
    while (uploader.uploadChunk() > -1) {
      // keep going
    }
    uploader.finish();
  }

  private static void assertByteExact(URL url, byte[] data) {
    byte[] downloaded = Uploads.download(tusk, url.getPath());
    assertThat(downloaded).hasSize(data.length);
    assertThat(Uploads.sha256(downloaded)).isEqualTo(Uploads.sha256(data));
  }
}
