package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksumTest {
  @ParameterizedTest
  @CsvSource({"md5,MD5", "sha1,SHA1", "SHA256,SHA256", "sha512,SHA512"})
  void parse_supportedAlgorithms(String name, ChecksumAlgorithm expected) {
    byte[] digest = expected.newDigest().digest("hello".getBytes(StandardCharsets.UTF_8));
    Checksum c = Checksum.parse(name + " " + Base64.getEncoder().encodeToString(digest));
    assertThat(c.algorithm()).isEqualTo(expected);
    assertThat(c.expected()).isEqualTo(digest);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "crc32 AAAA|UNSUPPORTED_CHECKSUM_ALGORITHM",
      "sha1|INVALID_CHECKSUM_HEADER",
      "sha1 |INVALID_CHECKSUM_HEADER",
      "sha1 !!!notbase64|INVALID_CHECKSUM_HEADER",
      " AAAA|INVALID_CHECKSUM_HEADER"})
  void parse_invalid(String header, ErrorCode code) {
    assertThatThrownBy(() -> Checksum.parse(header))
        .isInstanceOfSatisfying(TusException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
