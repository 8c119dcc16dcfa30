package dev.tusk.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class KeyValuesTest {
  private final KeyValues converter = new KeyValues();

  private String render(List<KeyValuePair> pairs) {
    LoggerContext context = new LoggerContext();
    LoggingEvent event = new LoggingEvent();
    event.setLoggerContext(context);
    event.setLevel(Level.INFO);
    event.setMessage("request");
    pairs.forEach(event::addKeyValuePair);
    return converter.convert(event);
  }

  @Test
  void noPairs_rendersNothing() {
    assertThat(render(List.of())).isEmpty();
  }

  @Test
  void plainValues_areBareAndEachPrecededByASpace() {
    assertThat(render(List.of(new KeyValuePair("method", "PATCH"),
        new KeyValuePair("status", 204), new KeyValuePair("route", "/files/{id}"))))
        .isEqualTo(" method=PATCH status=204 route=/files/{id}");
  }

  @Test
  void valuesThatCouldForgeLinesOrKeys_areQuotedAndEscaped() {
    assertThat(render(List.of(new KeyValuePair("trace", "a b"))))
        .isEqualTo(" trace=\"a b\"");
    assertThat(render(List.of(new KeyValuePair("client", "x\r\nINFO forged=1"))))
        .isEqualTo(" client=\"x\\r\\nINFO forged=1\"")
        .doesNotContain("\n", "\r");
    assertThat(render(List.of(new KeyValuePair("k", "say \"hi\"\\ \t\u0001\u007f\u2028"))))
        .isEqualTo(" k=\"say \\\"hi\\\"\\\\ \\t\\u0001\\u007f\\u2028\"");
    assertThat(render(List.of(new KeyValuePair("k", "a=b")))).isEqualTo(" k=\"a=b\"");
    assertThat(render(List.of(new KeyValuePair("k", "\u001b[31m\u0085\u009bx\u2029"))))
        .isEqualTo(" k=\"\\u001b[31m\\u0085\\u009bx\\u2029\"");
  }

  @Test
  void emptyAndNullValues_areVisible() {
    assertThat(render(List.of(new KeyValuePair("k", "")))).isEqualTo(" k=\"\"");
    assertThat(render(List.of(new KeyValuePair("k", null)))).isEqualTo(" k=null");
  }
}
