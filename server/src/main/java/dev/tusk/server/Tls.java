package dev.tusk.server;

import dev.tusk.server.config.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds the server's {@link SSLContext} from PEM files: a certificate chain (leaf first) and an
 * unencrypted private key in PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}). The key is checked against the certificate at start-up.
 * Problems are {@link IllegalArgumentException}s naming {@code tls.cert} or {@code tls.key}.
 */
public final class Tls {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final byte[] RSA_ALGORITHM_ID = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  private Tls() {}

  /** A TLS context serving the configured certificate. */
  public static SSLContext context(ServerConfig.Tls tls) {
    List<X509Certificate> chain = certificates(tls.certificate());
    PrivateKey key = privateKey(tls.privateKey());
    requireMatch(chain.get(0), key, tls);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("tusk", key, password, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("tls: cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  static List<X509Certificate> certificates(Path file) {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("tls.cert: no certificate in " + file);
      }
      return certs.stream().map(c -> (X509Certificate) c).toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("tls.cert: cannot read " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("tls.cert: " + file + " is not a PEM certificate chain: " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("tls.key: cannot read " + file + ": " + e.getMessage(), e);
    }
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (!type.endsWith("PRIVATE KEY")) {
        continue;
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      return switch (type) {
        case "PRIVATE KEY" -> pkcs8(der, file);
        case "RSA PRIVATE KEY" -> pkcs8(wrapPkcs1(der), file);
        case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
            "tls.key: " + file + " is encrypted; decrypt it (openssl pkcs8 -topk8 -nocrypt)");
        default -> throw new IllegalArgumentException(
            "tls.key: " + file + " holds a '" + type + "'; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
      };
    }
    throw new IllegalArgumentException("tls.key: no PEM private key in " + file);
  }

  private static PrivateKey pkcs8(byte[] der, Path file) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("tls.key: " + file + " is not an RSA, EC or EdDSA private key");
  }

  /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption). */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM_ID);
    body.writeBytes(tlv(0x04, pkcs1));
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static void requireMatch(X509Certificate cert, PrivateKey key, ServerConfig.Tls tls) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = "tusk".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // falls through: the key cannot sign for this certificate
    }
    throw new IllegalArgumentException(
        "tls.key: " + tls.privateKey() + " is not the private key of the certificate in " + tls.certificate());
  }
}
