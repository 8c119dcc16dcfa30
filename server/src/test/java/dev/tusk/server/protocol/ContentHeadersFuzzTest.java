package dev.tusk.server.protocol;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static dev.tusk.server.fuzz.FuzzInput.assertHeaderSafe;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzz tests of the headers a download builds from what the client declared: the {@code
 * Content-Type} from a declared type, the {@code Content-Disposition} from a file name. The
 * input is text as decoded from Upload-Metadata (any Unicode). Seeds: {@code
 * src/test/resources/dev/tusk/server/protocol/ContentHeadersFuzzTestInputs/<method>/}.
 */
class ContentHeadersFuzzTest {
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"\\\\]*)\"");
  private static final Pattern FILENAME_STAR = Pattern.compile("filename\\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)$");

  /**
   * A declared type: served as a printable, listed type (idempotent), never as a type that a
   * browser could execute.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void contentType(byte[] data) {
    String declared = new String(data, StandardCharsets.UTF_8);
    String type = ContentTypes.forResponse(Optional.of(declared));
    assertHeaderSafe(type);
    String media = type.split(";", 2)[0];
    assertThat(ContentTypes.SERVED).contains(media);
    assertThat(ContentTypes.forResponse(Optional.of(type))).isEqualTo(type);
    if (ContentTypes.inline(type)) {
      assertThat(ContentTypes.INLINE).contains(media);
    }
    assertThat(media.toLowerCase(Locale.ROOT)).doesNotContain("html", "xml", "script", "svg");
  }

  /**
   * A file name (first byte: inline or not, then the name as UTF-8): a printable header whose
   * quoted {@code filename} cannot be broken out of and whose {@code filename*} decodes to the
   * sanitized name.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void contentDisposition(byte[] data) {
    boolean inline = data.length > 0 && (data[0] & 1) == 1;
    String name = new String(data, Math.min(1, data.length), Math.max(0, data.length - 1), StandardCharsets.UTF_8);
    String header = ContentDisposition.format(inline, Optional.of(name));
    assertHeaderSafe(header);
    String sanitized = ContentDisposition.sanitize(name);
    String type = inline ? "inline" : "attachment";
    if (sanitized.isEmpty()) {
      assertThat(header).isEqualTo(type);
      return;
    }
    assertThat(header).startsWith(type + "; filename=\"");
    Matcher quoted = FILENAME.matcher(header);
    assertThat(quoted.find()).as(header).isTrue();
    assertThat(quoted.group(1)).doesNotContain("/", "\\", ";", "%");
    Matcher star = FILENAME_STAR.matcher(header);
    if (star.find()) {
      assertThat(percentDecode(star.group(1))).isEqualTo(sanitized);
    } else {
      assertThat(quoted.group(1)).isEqualTo(sanitized);
      assertThat(header).isEqualTo(type + "; filename=\"" + sanitized + "\"");
    }
    assertThat(sanitized).doesNotContain("/", "\\").isNotIn(".", "..");
    assertThat(sanitized.codePointCount(0, sanitized.length()))
        .isLessThanOrEqualTo(ContentDisposition.MAX_CODE_POINTS);
  }

  private static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
