package dev.tusk.server.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallbackHostsTest {
  private final CallbackHosts hosts =
      new CallbackHosts(List.of("api.example.com", "*.hooks.example.net", "127.0.0.1:9000"));

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "https://api.example.com/done, true",
    "http://API.EXAMPLE.COM:8443/done, true",
    "https://a.hooks.example.net/x, true",
    "https://a.b.hooks.example.net/x, true",
    "https://hooks.example.net/x, false",
    "https://evilhooks.example.net/x, false",
    "https://api.example.com.evil.org/x, false",
    "http://127.0.0.1:9000/cb, true",
    "http://127.0.0.1:9001/cb, false",
    "http://127.0.0.1/cb, false",
    "ftp://api.example.com/x, false",
    "https://user:pw@api.example.com/x, false",
    "https://169.254.169.254/latest/meta-data, false",
    "/relative/path, false",
  })
  void allows(String url, boolean expected) {
    assertThat(hosts.allows(URI.create(url))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"https://api.example.com/x"})
  void emptyList_refusesEverything(String url) {
    assertThat(new CallbackHosts(List.of()).allows(URI.create(url))).isFalse();
  }
}
