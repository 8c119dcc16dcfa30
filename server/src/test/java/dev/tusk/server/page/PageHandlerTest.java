package dev.tusk.server.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageHandlerTest {
  static final String TAG = "\"0123456789abcdef0123456789abcdef\"";

  @ParameterizedTest(name = "If-None-Match: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "NULL | false",
        "'' | false",
        "* | true",
        "\"0123456789abcdef0123456789abcdef\" | true",
        "W/\"0123456789abcdef0123456789abcdef\" | true",
        "\"other\", \"0123456789abcdef0123456789abcdef\" | true",
        "\"other\",\"also\" | false",
        "0123456789abcdef0123456789abcdef | false",
      })
  void matches_ifNoneMatch_weakComparison(String header, boolean expected) {
    assertThat(PageHandler.matches(header, TAG)).isEqualTo(expected);
  }

  @Test
  void configJson_namesBasePathAndChunkSize() {
    ServerConfig config =
        ServerConfig.defaults().withBasePath("/api/files").withPage(new ServerConfig.Page(true, "up", 8 << 20));
    assertThat(new String(PageHandler.configJson(config), StandardCharsets.UTF_8))
        .isEqualTo("{\"endpoint\":\"/api/files/\",\"chunkSize\":8388608}");
    assertThat(config.page().path()).isEqualTo("/up/");
  }

  @Test
  void page_insideBasePath_isRejected() {
    assertThatThrownBy(() -> ServerConfig.defaults().withPage(new ServerConfig.Page(true, "/files/ui/", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("page path /files/ui/ must lie outside base path /files/");
    assertThatThrownBy(() -> ServerConfig.defaults().withPage(new ServerConfig.Page(true, "/files/", 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ServerConfig.defaults().withPage(new ServerConfig.Page(false, "/files/", 0)).page().enabled()).isFalse();
    assertThatThrownBy(() -> new ServerConfig.Page(true, "/", -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
