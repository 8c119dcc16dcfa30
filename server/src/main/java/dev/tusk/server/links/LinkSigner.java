package dev.tusk.server.links;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.server.protocol.Ttl;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Signs and verifies upload links: a compact JWS (HS256 with the link key, Nimbus JOSE+JWT) of
 * type {@value #TYPE}, so a link is never accepted as a credential and a credential never as a
 * link. The token is URL-safe (base64url and dots) and travels as the {@code link} query
 * parameter. Verification checks the signature only; expiry is the caller's (it applies to
 * creation, not to the follow-up requests of the upload). Thread-safe.
 */
public final class LinkSigner {
  public static final String TYPE = "tusk-link+jwt";

  private final MACSigner signer;
  private final MACVerifier verifier;

  public LinkSigner(String key) {
    try {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      this.signer = new MACSigner(bytes);
      this.verifier = new MACVerifier(bytes);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable link key: " + e.getMessage(), e);
    }
  }

  public String sign(UploadLink link, Instant issuedAt) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .claim("uid", link.uploadId().value())
            .claim("own", link.owner())
            .issueTime(Date.from(issuedAt))
            .expirationTime(Date.from(link.expiresAt()))
            // 0 stands for an upload kept until deleted (a real TTL is at least 1 s)
            .claim("ttl", Ttl.isNever(link.fileTtl()) ? 0 : link.fileTtl().toSeconds());
    link.filename().ifPresent(v -> claims.claim("fn", v));
    link.size().ifPresent(v -> claims.claim("size", v));
    link.maxSize().ifPresent(v -> claims.claim("max", v));
    if (!link.contentTypes().isEmpty()) {
      claims.claim("types", link.contentTypes());
    }
    link.sha256().ifPresent(v -> claims.claim("sha256", v));
    link.md5().ifPresent(v -> claims.claim("md5", v));
    if (!link.metadata().isEmpty()) {
      claims.claim("meta", link.metadata());
    }
    link.callback().ifPresent(v -> claims.claim("cb", v.toString()));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(TYPE)).build(),
            claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a link", e);
    }
    return jwt.serialize();
  }

  /** The link {@code token} declares; {@link ErrorCode#LINK_INVALID} if anything is off. */
  public UploadLink verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWSHeader header = jwt.getHeader();
      if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())
          || header.getType() == null
          || !TYPE.equals(header.getType().getType())
          || !jwt.verify(verifier)) {
        throw invalid();
      }
      return read(jwt.getJWTClaimsSet());
    } catch (ParseException | JOSEException | IllegalArgumentException | ClassCastException e) {
      throw invalid();
    }
  }

  private static UploadLink read(JWTClaimsSet c) throws ParseException {
    Date exp = c.getExpirationTime();
    Long ttl = c.getLongClaim("ttl");
    String uid = c.getStringClaim("uid");
    String owner = c.getStringClaim("own");
    if (exp == null || ttl == null || ttl < 0 || uid == null || owner == null) {
      throw new ParseException("incomplete link", 0);
    }
    List<String> types = c.getStringListClaim("types");
    Map<String, Object> meta = c.getJSONObjectClaim("meta");
    Map<String, String> metadata = new LinkedHashMap<>();
    if (meta != null) {
      meta.forEach((k, v) -> metadata.put(k, (String) v));
    }
    if ((types != null && types.contains(null)) || metadata.containsValue(null)) {
      throw new ParseException("null in a link's types or metadata", 0);
    }
    String cb = c.getStringClaim("cb");
    return new UploadLink(
        new UploadId(uid),
        owner,
        exp.toInstant(),
        Optional.ofNullable(c.getStringClaim("fn")),
        optionalLong(c.getLongClaim("size")),
        optionalLong(c.getLongClaim("max")),
        types == null ? List.of() : types,
        Optional.ofNullable(c.getStringClaim("sha256")),
        Optional.ofNullable(c.getStringClaim("md5")),
        ttl == 0 ? Ttl.NEVER : Duration.ofSeconds(ttl),
        metadata,
        cb == null ? Optional.empty() : Optional.of(URI.create(cb)));
  }

  private static OptionalLong optionalLong(Long v) {
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  private static TusException invalid() {
    return new TusException(
        ErrorCode.LINK_INVALID, "the upload link is not valid (altered, or signed with another key)");
  }
}
