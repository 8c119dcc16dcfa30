package dev.tusk.server.policy;

import io.undertow.util.AttachmentKey;
import java.util.Map;
import java.util.Set;

/**
 * Who is making a request, as established by authentication: an owner id, scopes ({@code upload},
 * {@code download}, {@code admin}) and optional limits from the credential.
 *
 * @param id the owner id recorded on uploads this principal creates
 * @param scopes what the principal may do
 * @param claims further facts from the credential (limits such as {@code maxSize}), never secrets
 */
public record Principal(String id, Set<String> scopes, Map<String, String> claims) {
  /** Where authentication leaves the principal on the exchange. */
  public static final AttachmentKey<Principal> KEY = AttachmentKey.create(Principal.class);
  /** The upload attribute that records the id of the principal that created the upload. */
  public static final String OWNER = "owner";
  /** The claim that names a credential's rate-limit tier. */
  public static final String TIER_CLAIM = "tier";
  /** The claim a signed link's principal carries: the id of the upload the link is for. */
  public static final String LINK_CLAIM = "link";

  public Principal {
    scopes = Set.copyOf(scopes);
    claims = Map.copyOf(claims);
  }

  public boolean has(String scope) {
    return scopes.contains(scope) || scopes.contains("admin");
  }
}
