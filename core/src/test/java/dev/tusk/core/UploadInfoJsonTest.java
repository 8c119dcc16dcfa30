package dev.tusk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UploadInfoJsonTest {
  private static final Instant T = Instant.parse("2026-01-02T03:04:05.123Z");

  @Test
  void roundTrip_keepsEveryField() throws IOException {
    UploadInfo info =
        new UploadInfo(
            UploadId.random(), 42, OptionalLong.of(100), Map.of("a", "b\r\n"), T, T.plusSeconds(1),
            Optional.of(T.plusSeconds(60)), ConcatKind.FINAL, List.of(UploadId.random()), Map.of("owner", "x"),
            Map.of("multipart", "abc"));
    assertThat(UploadInfoJson.read(UploadInfoJson.write(info))).isEqualTo(info);
  }

  @Test
  void roundTrip_deferredLength() throws IOException {
    UploadInfo info = UploadInfo.draft(UploadId.random(), OptionalLong.empty(), Map.of(), T, T);
    assertThat(UploadInfoJson.read(UploadInfoJson.write(info)).length()).isEmpty();
  }

  @Test
  void read_corruptDocument_throwsIOException() {
    assertThatThrownBy(() -> UploadInfoJson.read("{\"id\":\"../x\"".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> UploadInfoJson.read("{\"id\":\"../../etc/passwd1\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void read_nullInAMapOrList_isCorrupt() throws IOException {
    String valid = new String(UploadInfoJson.write(
        new UploadInfo(UploadId.random(), 0, OptionalLong.of(1), Map.of(), T, T, Optional.of(T), ConcatKind.FINAL,
            List.of(UploadId.random()), Map.of(), Map.of())), StandardCharsets.UTF_8);
    for (String broken : List.of(
        valid.replace("\"metadata\":{}", "\"metadata\":{\"a\":null}"),
        valid.replace("\"attributes\":{}", "\"attributes\":{\"owner\":null}"),
        valid.replace("\"storage\":{}", "\"storage\":{\"k\":null}"))) {
      assertThat(broken).isNotEqualTo(valid);
      assertThatThrownBy(() -> UploadInfoJson.read(broken.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("corrupt upload info");
    }
  }

  @Test
  void roundTrip_keptUpload_writesExplicitNullAndReadsKept() throws IOException {
    UploadInfo kept =
        UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), T, Optional.empty());
    byte[] json = UploadInfoJson.write(kept);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"expiresAt\":null");
    UploadInfo read = UploadInfoJson.read(json);
    assertThat(read).isEqualTo(kept);
    assertThat(read.isKept()).isTrue();
    assertThat(read.isExpired(Instant.MAX)).isFalse();
  }

  @Test
  void roundTrip_expiringUpload_writesTheInstant() throws IOException {
    UploadInfo expiring =
        UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), T, T.plusSeconds(60));
    byte[] json = UploadInfoJson.write(expiring);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"expiresAt\":\"2026-01-02T03:05:05.123Z\"");
    assertThat(UploadInfoJson.read(json).expiresAt()).contains(T.plusSeconds(60));
  }

  @Test
  void read_missingOrMalformedExpiresAt_isCorruptNotKept() throws IOException {
    String valid = new String(UploadInfoJson.write(
        UploadInfo.draft(UploadId.random(), OptionalLong.of(1), Map.of(), T, T.plusSeconds(60))),
        StandardCharsets.UTF_8);
    for (String broken : List.of(
        valid.replace(",\"expiresAt\":\"2026-01-02T03:05:05.123Z\"", ""),
        valid.replace("\"2026-01-02T03:05:05.123Z\"", "12"),
        valid.replace("\"2026-01-02T03:05:05.123Z\"", "\"tomorrow\""))) {
      assertThat(broken).isNotEqualTo(valid);
      assertThatThrownBy(() -> UploadInfoJson.read(broken.getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("corrupt upload info");
    }
  }
}
