package dev.tusk.server.rufh;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which protocol a request speaks, decided from its header fields alone. One collection URL
 * serves both tus 1.0 and Resumable Uploads for HTTP:
 *
 * <ul>
 *   <li>{@code Upload-Draft-Interop-Version} present: the draft, at that version ("Client
 *       implementations of draft versions of the protocol MUST send a header field
 *       Upload-Draft-Interop-Version with the interop version as its value to its requests").
 *       A version this server does not speak is a 400 naming the ones it does (except on OPTIONS,
 *       which is answered for every dialect).
 *   <li>no version and no {@code Tus-Resumable}, but {@code Upload-Complete}: the newest version
 *       (what a client of the final RFC sends); {@code Upload-Incomplete}: interop version 3, the
 *       only one that defines it.
 *   <li>anything else: tus 1.0, exactly as before.
 * </ul>
 */
public final class Dialect {
  private Dialect() {}

  /**
   * The draft version the request speaks, or empty for tus.
   *
   * @param options true for an OPTIONS request (an unknown version is then not an error)
   */
  public static Optional<InteropVersion> of(
      String interopVersion,
      String tusResumable,
      String uploadComplete,
      String uploadIncomplete,
      boolean options) {
    if (interopVersion != null) {
      OptionalLong number = StructuredFields.parseInteger(interopVersion);
      Optional<InteropVersion> version =
          number.isPresent() ? InteropVersion.of(number.getAsLong()) : Optional.empty();
      if (version.isEmpty() && !options) {
        throw new TusException(
            ErrorCode.UNSUPPORTED_INTEROP_VERSION,
            "Upload-Draft-Interop-Version '" + printable(interopVersion)
                + "' is not supported; this server speaks interop versions "
                + InteropVersion.supported());
      }
      return version;
    }
    if (tusResumable != null) {
      return Optional.empty();
    }
    if (uploadComplete != null) {
      return Optional.of(InteropVersion.newest());
    }
    if (uploadIncomplete != null) {
      return Optional.of(InteropVersion.V3);
    }
    return Optional.empty();
  }

  static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 40 ? p.substring(0, 40) + "..." : p;
  }
}
