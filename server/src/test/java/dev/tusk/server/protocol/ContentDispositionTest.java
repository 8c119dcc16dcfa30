package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContentDispositionTest {
  record Case(String name, String expected) {}

  static Stream<Case> cases() {
    return Stream.of(
        new Case(null, "attachment"),
        new Case("", "attachment"),
        new Case("report.pdf", "attachment; filename=\"report.pdf\""),
        new Case("my report (1).pdf", "attachment; filename=\"my report (1).pdf\""),
        new Case("résumé.pdf", "attachment; filename=\"resume.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"),
        new Case("日本語.txt", "attachment; filename=\"___.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.txt"),
        new Case("😀.png", "attachment; filename=\"_.png\"; filename*=UTF-8''%F0%9F%98%80.png"),
        new Case("a\"b.txt", "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt"),
        new Case("a;b.txt", "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%3Bb.txt"),
        new Case("100%.txt", "attachment; filename=\"100_.txt\"; filename*=UTF-8''100%25.txt"),
        new Case("x.txt\r\nSet-Cookie: a=b", "attachment; filename=\"x.txtSet-Cookie: a=b\""),
        new Case("tab\there.txt", "attachment; filename=\"tabhere.txt\""),
        new Case("../../etc/passwd", "attachment; filename=\"passwd\""),
        new Case("C:\\Users\\me\\x.doc", "attachment; filename=\"x.doc\""),
        new Case("evil\u202Egpj.exe", "attachment; filename=\"evilgpj.exe\""),
        new Case("zero\u200Bwidth", "attachment; filename=\"zerowidth\""),
        new Case("..", "attachment"),
        new Case("dir/", "attachment"),
        new Case("  spaced.txt  ", "attachment; filename=\"spaced.txt\""));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void format_attachment_table(Case c) {
    assertThat(ContentDisposition.format(false, Optional.ofNullable(c.name()))).isEqualTo(c.expected());
  }

  @Test
  void format_inline_usesInlineType() {
    assertThat(ContentDisposition.format(true, Optional.of("a.png")))
        .isEqualTo("inline; filename=\"a.png\"");
    assertThat(ContentDisposition.format(true, Optional.empty())).isEqualTo("inline");
  }

  @Test
  void format_neverEmitsControlCharactersOrBareQuotes() {
    String hostile = "\"\\;\r\n\u0000\u007f\u0085%0D%0A\u2028\u2029'`<>";
    String value = ContentDisposition.format(false, Optional.of(hostile));
    assertThat(value).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]");
    String fallback = value.substring(value.indexOf('"') + 1, value.indexOf('"', value.indexOf('"') + 1));
    assertThat(fallback).doesNotContain("\\", ";", "%");
  }

  @Test
  void format_longName_isBounded() {
    String value = ContentDisposition.format(false, Optional.of("a".repeat(5000)));
    assertThat(value).hasSizeLessThan(ContentDisposition.MAX_CODE_POINTS + 40);
  }
}
