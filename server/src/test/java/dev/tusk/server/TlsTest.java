package dev.tusk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.SelfSigned;
import dev.tusk.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  @TempDir static Path dir;
  static SelfSigned rsa;
  static SelfSigned ec;

  @BeforeAll
  static void certificates() throws Exception {
    rsa = SelfSigned.create(dir, "rsa", "RSA");
    ec = SelfSigned.create(dir, "ec", "EC");
  }

  @Test
  void context_pkcs8RsaAndEc_build() {
    assertThat(Tls.context(new ServerConfig.Tls(rsa.cert(), rsa.key())).getProtocol()).isEqualTo("TLS");
    assertThat(Tls.context(new ServerConfig.Tls(ec.cert(), ec.key()))).isNotNull();
  }

  @Test
  void context_pkcs1Rsa_builds() throws Exception {
    Path pkcs1 = Files.writeString(dir.resolve("rsa-pkcs1.pem"), SelfSigned.pem("RSA PRIVATE KEY", innerKey(rsa.pkcs8())));
    assertThat(Tls.context(new ServerConfig.Tls(rsa.cert(), pkcs1))).isNotNull();
  }

  @Test
  void context_keyOfAnotherCertificate_isRejected() {
    assertThatThrownBy(() -> Tls.context(new ServerConfig.Tls(rsa.cert(), ec.key())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not the private key of the certificate");
  }

  @Test
  void context_unusableFiles_nameTheOption() throws Exception {
    Path encrypted = Files.writeString(dir.resolve("enc.pem"), SelfSigned.pem("ENCRYPTED PRIVATE KEY", new byte[] {1}));
    assertThatThrownBy(() -> Tls.context(new ServerConfig.Tls(rsa.cert(), encrypted)))
        .hasMessageStartingWith("tls.key:").hasMessageContaining("encrypted");
    assertThatThrownBy(() -> Tls.context(new ServerConfig.Tls(rsa.key(), rsa.key())))
        .hasMessageStartingWith("tls.cert:");
    assertThatThrownBy(() -> Tls.context(new ServerConfig.Tls(rsa.cert(), rsa.cert())))
        .hasMessageStartingWith("tls.key: no PEM private key");
  }

  /** The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (the last OCTET STRING). */
  private static byte[] innerKey(byte[] pkcs8) {
    int i = 1;
    i += lengthBytes(pkcs8, i);
    i += 3; // version INTEGER 0
    i += 1;
    int algLen = pkcs8[i] & 0xff;
    i += 1 + algLen;
    i += 1; // OCTET STRING tag
    int len = length(pkcs8, i);
    i += lengthBytes(pkcs8, i);
    return Arrays.copyOfRange(pkcs8, i, i + len);
  }

  private static int lengthBytes(byte[] der, int i) {
    int first = der[i] & 0xff;
    return first < 0x80 ? 1 : 1 + (first & 0x7f);
  }

  private static int length(byte[] der, int i) {
    int first = der[i] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = 0;
    for (int k = 1; k <= (first & 0x7f); k++) {
      n = (n << 8) | (der[i + k] & 0xff);
    }
    return n;
  }
}
