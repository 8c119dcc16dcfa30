package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fuzz tests of what the core reads from outside: upload ids (from URLs, hooks, links) and the
 * upload info JSON a store reads back (a file or an object someone else may have touched). Seeds:
 * {@code src/test/resources/dev/tusk/core/UploadInfoFuzzTestInputs/<method>/}.
 */
class UploadInfoFuzzTest {

  /** Any string: an id that is exactly that string and safe in a path or header, or empty. */
  @FuzzTest(maxDuration = "1m")
  void uploadId(byte[] data) {
    String candidate = new String(data, StandardCharsets.ISO_8859_1);
    Optional<UploadId> id = UploadId.parse(candidate);
    id.ifPresent(
        v -> {
          assertThat(v.value()).isEqualTo(candidate).matches("[A-Za-z0-9_-]{8,128}");
          assertThat(new UploadId(v.value())).isEqualTo(v);
        });
  }

  /**
   * Any bytes as upload info: {@link IOException} ("corrupt upload info"), or an info that writes
   * and reads back equal.
   */
  @FuzzTest(maxDuration = "1m")
  void uploadInfoJson(byte[] data) throws IOException {
    UploadInfo info;
    try {
      info = UploadInfoJson.read(data);
    } catch (IOException e) {
      assertThat(e.getMessage()).startsWith("corrupt upload info");
      return;
    }
    assertThat(UploadInfoJson.read(UploadInfoJson.write(info))).isEqualTo(info);
  }
}
