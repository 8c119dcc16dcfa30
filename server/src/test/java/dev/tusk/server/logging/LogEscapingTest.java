package dev.tusk.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** Both log formats keep client input on its line and free of control characters. */
class LogEscapingTest {
  private static final String HOSTILE = "/files/a\n2026-01-01 ERROR forged\r\u001b[31m\u0085\u009b\u2028\u2029\u007f end";

  private static LoggingEvent event(Throwable error) {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerContext(new LoggerContext());
    event.setLoggerName("dev.tusk.test");
    event.setLevel(Level.ERROR);
    event.setMessage("request rejected path={}");
    event.setArgumentArray(new Object[] {HOSTILE});
    event.addKeyValuePair(new KeyValuePair("path", HOSTILE));
    if (error != null) {
      event.setThrowableProxy(new ThrowableProxy(error));
    }
    return event;
  }

  @Test
  void text_message_isEscapedOnOneLine() {
    String line = new EscapedMessage().convert(event(null));
    assertThat(line).isEqualTo(
        "request rejected path=/files/a\\n2026-01-01 ERROR forged\\r\\u001b[31m\\u0085\\u009b\\u2028\\u2029\\u007f end");
  }

  @Test
  void text_stackTrace_escapesEveryMessage_keepsItsOwnLines() {
    IllegalStateException cause = new IllegalStateException("cause " + HOSTILE);
    RuntimeException error = new RuntimeException("top " + HOSTILE, cause);
    error.addSuppressed(new IllegalArgumentException("suppressed\nforged"));
    EscapedThrowable converter = new EscapedThrowable();
    converter.start();

    String trace = converter.convert(event(error));

    assertThat(trace.lines().filter(l -> l.contains("forged")).toList()).hasSize(3).allSatisfy(l ->
        assertThat(l).matches("^(\tSuppressed: |Caused by: )?java\\.lang\\.\\w+: .*"));
    assertThat(trace).contains("top /files/a\\n2026-01-01 ERROR forged\\r\\u001b[31m", "suppressed\\nforged");
    assertThat(trace.chars().noneMatch(c -> c != '\n' && c != '\t' && LogText.isControl((char) c))).isTrue();
    assertThat(trace).contains("\tat dev.tusk.server.logging.LogEscapingTest");
  }

  @Test
  void json_everyStringIsEscaped_andTheLineIsTheSameJson() throws Exception {
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(new LoggerContext());
    encoder.setWithFormattedMessage(true); // as logback.xml configures it
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithContext(false);
    encoder.setWithMDC(false); // this context has no MDC adapter
    encoder.start();

    byte[] bytes = encoder.encode(event(new RuntimeException("boom " + HOSTILE)));
    String line = new String(bytes, StandardCharsets.UTF_8);

    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    assertThat(line.chars().limit(line.length() - 1).noneMatch(c -> LogText.isControl((char) c)))
        .as("line %s", line).isTrue();
    JsonNode node = new ObjectMapper().readTree(line);
    assertThat(node.get("formattedMessage").asText()).isEqualTo("request rejected path=" + HOSTILE);
    assertThat(node.get("kvpList").get(0).get("path").asText()).isEqualTo(HOSTILE);
    assertThat(node.get("throwable").get("message").asText()).isEqualTo("boom " + HOSTILE);
  }

  @Test
  void json_escapeRawControls_plainLine_isTheSameArray() {
    byte[] plain = "{\"message\":\"caf\u00e9 \u2713\"}\n".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonLineEncoder.escapeRawControls(plain)).isSameAs(plain);
    byte[] raw = "{\"m\":\"a\u0085b\u2028c\u007fd\u00a0e\"}\n".getBytes(StandardCharsets.UTF_8);
    assertThat(new String(JsonLineEncoder.escapeRawControls(raw), StandardCharsets.UTF_8))
        .isEqualTo("{\"m\":\"a\\u0085b\\u2028c\\u007fd\u00a0e\"}\n");
  }
}
