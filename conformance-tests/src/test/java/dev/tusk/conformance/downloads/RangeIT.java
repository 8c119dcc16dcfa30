package dev.tusk.conformance.downloads;

import static dev.tusk.conformance.downloads.Transfers.bytes;
import static dev.tusk.conformance.downloads.Transfers.path;
import static dev.tusk.conformance.downloads.Transfers.sha256;
import static dev.tusk.conformance.downloads.Transfers.tusFinal;
import static dev.tusk.conformance.downloads.Transfers.tusPartial;
import static dev.tusk.conformance.downloads.Transfers.tusUpload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.TuskFixture;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110 Range requests on downloads. */
class RangeIT {
  static final int SIZE = 1000;
  @RegisterExtension
  static final TuskFixture tusk = TuskFixture.extension();
  static byte[] data;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    data = bytes(SIZE, 42);
    url = tusUpload(tusk, data, Map.of("filetype", "text/plain"));
  }

  record Single(String range, int first, int last) {
    @Override
    public String toString() {
      return range;
    }
  }

  static Stream<Single> singles() {
    return Stream.of(
        new Single("bytes=0-0", 0, 0),
        new Single("bytes=999-999", 999, 999),
        new Single("bytes=10-19", 10, 19),
        new Single("bytes=500-", 500, 999),
        new Single("bytes=0-", 0, 999),
        new Single("bytes=990-5000", 990, 999),
        new Single("bytes=-1", 999, 999),
        new Single("bytes=-100", 900, 999),
        new Single("bytes=-5000", 0, 999),
        new Single("bytes=0-4,5-9", 0, 9),
        new Single("bytes=2000-3000, 7-7", 7, 7));
  }

  @ParameterizedTest
  @MethodSource("singles")
  @DisplayName("One satisfiable range answers 206 with Content-Range and exactly those bytes")
  void get_singleRange_returns206(Single c) {
    Response r = tusk.http().header("Range", c.range()).get(url);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isEqualTo("bytes " + c.first() + "-" + c.last() + "/" + SIZE);
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(c.last() - c.first() + 1));
    assertThat(r.header("Content-Type")).isEqualTo("text/plain");
    assertThat(r.asByteArray()).isEqualTo(Arrays.copyOfRange(data, c.first(), c.last() + 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=abc", "bytes=5-2", "bytes=x-", "bytes=-", "bytes=", "items=0-5", "0-5", "bytes=1-2-3"})
  @DisplayName("An invalid Range (non-numeric, inverted, other unit) is ignored: 200 with everything")
  void get_invalidRange_isIgnored(String range) {
    Response r = tusk.http().header("Range", range).get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("Content-Range")).isNull();
    assertThat(r.asByteArray()).isEqualTo(data);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-6000,1000-1000"})
  @DisplayName("No satisfiable range: 416 with Content-Range: bytes */<length>")
  void get_unsatisfiable_returns416(String range) {
    Response r = tusk.http().header("Range", range).get(url);
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.header("Content-Range")).isEqualTo("bytes */" + SIZE);
    assertThat(r.jsonPath().getString("code")).isEqualTo("ERR_RANGE_NOT_SATISFIABLE");
  }

  @Test
  @DisplayName("Several ranges answer multipart/byteranges, in request order, each with its Content-Range")
  void get_multipleRanges_returnsMultipart() {
    Response r = tusk.http().header("Range", "bytes=900-909, 0-0, -1, 100-149,120-159").get(url);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.header("Content-Range")).isNull();
    String type = r.header("Content-Type");
    assertThat(type).startsWith("multipart/byteranges; boundary=");
    byte[] body = r.asByteArray();
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(body.length));
    List<Part> parts = Part.parse(body, type.substring(type.indexOf("boundary=") + 9));
    assertThat(parts).extracting(Part::contentRange)
        .containsExactly("bytes 900-909/1000", "bytes 0-0/1000", "bytes 999-999/1000", "bytes 100-159/1000");
    for (Part p : parts) {
      assertThat(p.contentType()).isEqualTo("text/plain");
      assertThat(p.data()).isEqualTo(Arrays.copyOfRange(data, p.first(), p.last() + 1));
    }
  }

  @Test
  @DisplayName("Ranges covering most of the file, or more than 16 of them, answer 200 with everything")
  void get_manyOrLargeRanges_returnWhole() {
    Response large = tusk.http().header("Range", "bytes=0-499,600-999").get(url);
    assertThat(large.statusCode()).isEqualTo(200);
    assertThat(large.asByteArray()).isEqualTo(data);
    StringBuilder many = new StringBuilder("bytes=");
    for (int i = 0; i < 17; i++) {
      many.append(i == 0 ? "" : ",").append(i * 10).append('-').append(i * 10);
    }
    Response r = tusk.http().header("Range", many.toString()).get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.asByteArray()).isEqualTo(data);
  }

  @Test
  @DisplayName("If-Range with the current ETag honours Range; with a stale or weak ETag serves everything")
  void get_ifRange_etag() {
    String etag = tusk.http().get(url).header("ETag");
    Response fresh = tusk.http().header("Range", "bytes=0-9").header("If-Range", etag).get(url);
    assertThat(fresh.statusCode()).isEqualTo(206);
    assertThat(fresh.asByteArray()).isEqualTo(Arrays.copyOf(data, 10));
    Response stale = tusk.http().header("Range", "bytes=0-9").header("If-Range", "\"stale\"").get(url);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.asByteArray()).isEqualTo(data);
    Response weak = tusk.http().header("Range", "bytes=0-9").header("If-Range", "W/" + etag).get(url);
    assertThat(weak.statusCode()).isEqualTo(200);
  }

  @Test
  void get_ifRange_date() {
    String lastModified = tusk.http().get(url).header("Last-Modified");
    assertThat(tusk.http().header("Range", "bytes=0-9").header("If-Range", lastModified).get(url).statusCode())
        .isEqualTo(206);
    assertThat(
            tusk.http()
                .header("Range", "bytes=0-9")
                .header("If-Range", "Mon, 23 Nov 2026 09:00:00 GMT")
                .get(url)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void get_notModifiedWinsOverRange() {
    String etag = tusk.http().get(url).header("ETag");
    Response r = tusk.http().header("Range", "bytes=0-9").header("If-None-Match", etag).get(url);
    assertThat(r.statusCode()).isEqualTo(304);
  }

  @Test
  @DisplayName("A middle range of a multi-MiB upload is exactly that range (sendfile stops at the range end)")
  void get_middleRangeOfLargeUpload_isExact() {
    byte[] big = bytes(6 * 1024 * 1024, 43);
    String bigUrl = tusUpload(tusk, big, Map.of());
    int first = 1024 * 1024 + 3;
    int last = 4 * 1024 * 1024 + 5;
    Response r = tusk.http().header("Range", "bytes=" + first + "-" + last).get(bigUrl);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(sha256(r.asByteArray())).isEqualTo(sha256(Arrays.copyOfRange(big, first, last + 1)));
    Response multi = tusk.http().header("Range", "bytes=0-99,2097152-3145727,-100").get(bigUrl);
    String type = multi.header("Content-Type");
    List<Part> parts = Part.parse(multi.asByteArray(), type.substring(type.indexOf("boundary=") + 9));
    assertThat(parts).hasSize(3);
    for (Part p : parts) {
      assertThat(sha256(p.data())).isEqualTo(sha256(Arrays.copyOfRange(big, p.first(), p.last() + 1)));
    }
  }

  @Test
  void get_rangeOfConcatenatedFinal_spansPartials() {
    byte[] one = bytes(300, 44);
    byte[] two = bytes(300, 45);
    String fin = tusFinal(tusk, Map.of(), path(tusPartial(tusk, one)), path(tusPartial(tusk, two)));
    Response r = tusk.http().header("Range", "bytes=290-309").get(fin);
    assertThat(r.statusCode()).isEqualTo(206);
    byte[] expected = new byte[20];
    System.arraycopy(one, 290, expected, 0, 10);
    System.arraycopy(two, 0, expected, 10, 10);
    assertThat(r.asByteArray()).isEqualTo(expected);
  }

  @Test
  void get_rangeOfEmptyUpload() {
    String empty = tusUpload(tusk, new byte[0], Map.of());
    assertThat(tusk.http().header("Range", "bytes=0-0").get(empty).statusCode()).isEqualTo(416);
    Response suffix = tusk.http().header("Range", "bytes=-5").get(empty);
    assertThat(suffix.statusCode()).isEqualTo(200);
    assertThat(suffix.asByteArray()).isEmpty();
  }

  /** One part of a multipart/byteranges body. */
  record Part(String contentType, String contentRange, int first, int last, byte[] data) {
    private static final Pattern RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    static List<Part> parse(byte[] body, String boundary) {
      String text = new String(body, StandardCharsets.ISO_8859_1);
      String delimiter = "--" + boundary;
      assertThat(text).startsWith(delimiter + "\r\n").endsWith("\r\n" + delimiter + "--\r\n");
      List<Part> parts = new ArrayList<>();
      int at = 0;
      while (true) {
        int start = text.indexOf(delimiter, at);
        if (text.startsWith("--", start + delimiter.length())) {
          return parts;
        }
        int headersEnd = text.indexOf("\r\n\r\n", start);
        String type = null;
        String range = null;
        for (String line : text.substring(start + delimiter.length() + 2, headersEnd).split("\r\n")) {
          if (line.startsWith("Content-Type: ")) {
            type = line.substring(14);
          } else if (line.startsWith("Content-Range: ")) {
            range = line.substring(15);
          }
        }
        Matcher m = RANGE.matcher(range);
        assertThat(m.matches()).isTrue();
        int first = Integer.parseInt(m.group(1));
        int last = Integer.parseInt(m.group(2));
        int dataStart = headersEnd + 4;
        byte[] partData = Arrays.copyOfRange(body, dataStart, dataStart + last - first + 1);
        assertThat(text.startsWith("\r\n" + delimiter, dataStart + partData.length)).isTrue();
        parts.add(new Part(type, range, first, last, partData));
        at = dataStart + partData.length;
      }
    }
  }
}
