package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartByteRangesTest {
  @Test
  void layout_matchesRfc9110Example() {
    MultipartByteRanges m =
        MultipartByteRanges.of(
            "THIS_STRING_SEPARATES", "application/pdf",
            List.of(new ByteRange(500, 999), new ByteRange(7000, 7999)), 8000);
    assertThat(m.contentType()).isEqualTo("multipart/byteranges; boundary=THIS_STRING_SEPARATES");
    assertThat(new String(m.parts().get(0).header(), StandardCharsets.US_ASCII))
        .isEqualTo(
            "--THIS_STRING_SEPARATES\r\nContent-Type: application/pdf\r\n"
                + "Content-Range: bytes 500-999/8000\r\n\r\n");
    assertThat(new String(m.parts().get(1).header(), StandardCharsets.US_ASCII))
        .isEqualTo(
            "\r\n--THIS_STRING_SEPARATES\r\nContent-Type: application/pdf\r\n"
                + "Content-Range: bytes 7000-7999/8000\r\n\r\n");
    assertThat(new String(m.closing(), StandardCharsets.US_ASCII))
        .isEqualTo("\r\n--THIS_STRING_SEPARATES--\r\n");
  }

  @Test
  void contentLength_isHeadersPlusRangesPlusClosing() {
    MultipartByteRanges m =
        MultipartByteRanges.of("b", "text/plain", List.of(new ByteRange(0, 0), new ByteRange(5, 9)), 10);
    long expected =
        m.parts().get(0).header().length + 1 + m.parts().get(1).header().length + 5 + m.closing().length;
    assertThat(m.contentLength()).isEqualTo(expected);
  }

  @Test
  void of_rejectsBoundaryThatCouldInjectHeaders() {
    assertThatThrownBy(() -> MultipartByteRanges.of("a\r\nb", "x/y", List.of(new ByteRange(0, 0)), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultipartByteRanges.of("x".repeat(71), "x/y", List.of(new ByteRange(0, 0)), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
