package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypesTest {
  record Case(String declared, String served, boolean inline) {}

  static Stream<Case> cases() {
    return Stream.of(
        new Case(null, "application/octet-stream", false),
        new Case("image/png", "image/png", true),
        new Case("IMAGE/PNG", "image/png", true),
        new Case(" image/jpeg ; q=1", "image/jpeg", true),
        new Case("application/pdf", "application/pdf", true),
        new Case("video/mp4", "video/mp4", true),
        new Case("text/plain", "text/plain", true),
        new Case("text/plain; charset=UTF-8", "text/plain; charset=utf-8", true),
        new Case("text/plain; charset=\"utf-8\"", "text/plain; charset=utf-8", true),
        new Case("text/plain; charset=\"a b\"", "text/plain", true),
        new Case("text/csv", "text/csv", false),
        new Case("application/zip", "application/zip", false),
        new Case("application/json; charset=utf-8", "application/json", false),
        new Case("application/octet-stream", "application/octet-stream", false),
        // never served as declared
        new Case("text/html", "application/octet-stream", false),
        new Case("text/html; charset=utf-8", "application/octet-stream", false),
        new Case("application/xhtml+xml", "application/octet-stream", false),
        new Case("image/svg+xml", "application/octet-stream", false),
        new Case("text/xml", "application/octet-stream", false),
        new Case("application/xml", "application/octet-stream", false),
        new Case("text/javascript", "application/octet-stream", false),
        new Case("application/javascript", "application/octet-stream", false),
        new Case("text/css", "application/octet-stream", false),
        new Case("application/x-shockwave-flash", "application/octet-stream", false),
        new Case("image/png\r\nX-Evil: 1", "application/octet-stream", false),
        new Case("image", "application/octet-stream", false),
        new Case("", "application/octet-stream", false),
        // only separators and parameters, or not one type/subtype
        new Case(";", "application/octet-stream", false),
        new Case(";;;", "application/octet-stream", false),
        new Case(" ; ", "application/octet-stream", false),
        new Case(";charset=utf-8", "application/octet-stream", false),
        new Case("/", "application/octet-stream", false),
        new Case("text/", "application/octet-stream", false),
        new Case("/plain", "application/octet-stream", false),
        new Case("a/b/c", "application/octet-stream", false),
        new Case("text/plain;;", "text/plain", true),
        new Case("text/plain; charset=", "text/plain", true),
        new Case("text/plain; charset=\"", "text/plain", true));
  }

  /** Any declared string at all gives one of the served types or a charset of a text type. */
  @Test
  void forResponse_anyString_isAServedTypeAndAValidHeader() {
    java.util.Random random = new java.util.Random(21);
    String alphabet = ";=/\" \t\r\n,abcxyz-+.*\u0000\u00e9\u2028";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(12);
      for (int j = 0; j < n; j++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (random.nextBoolean()) {
        s.insert(0, random.nextBoolean() ? "text/plain" : "image/png");
      }
      String served = ContentTypes.forResponse(Optional.of(s.toString()));
      String media = served.contains(";") ? served.substring(0, served.indexOf(';')) : served;
      assertThat(ContentTypes.SERVED).as("served for %s", s).contains(media);
      assertThat(served).as("served for %s", s).matches("[a-z0-9!#$&^_.+/-]+(; charset=[a-z0-9._:-]+)?");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void forResponse_andInline_table(Case c) {
    String served = ContentTypes.forResponse(Optional.ofNullable(c.declared()));
    assertThat(served).isEqualTo(c.served());
    assertThat(ContentTypes.inline(served)).isEqualTo(c.inline());
  }

  @ParameterizedTest
  @ValueSource(strings = {";", ";;", " ; ", ";charset=utf-8"})
  void forResponse_noMediaTypeBeforeTheSemicolon_isOctetStream(String declared) {
    assertThat(ContentTypes.forResponse(Optional.of(declared))).isEqualTo(ContentTypes.OCTET_STREAM);
  }

  @Test
  void inlineTypes_areAllServed() {
    assertThat(ContentTypes.SERVED).containsAll(ContentTypes.INLINE);
  }

  @Test
  void declared_prefersFiletypeThenContentType() {
    assertThat(ContentTypes.declared(Map.of("filetype", "image/png", "contentType", "text/plain")))
        .contains("image/png");
    assertThat(ContentTypes.declared(Map.of("contentType", "text/plain"))).contains("text/plain");
    assertThat(ContentTypes.declared(Map.of("filetype", ""))).isEmpty();
    assertThat(ContentTypes.declared(Map.of())).isEmpty();
  }
}
