package dev.tusk.server.protocol;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.TusException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which tus extensions the server offers, read from its store's {@link StoreCapabilities}, and
 * the refusal of a request that uses one it does not offer. tus: "The Tus-Extension response
 * header MUST be a comma-separated list of the extensions supported by the Server."
 *
 * <p>A request that needs an extension the store lacks is the client's mistake (the server said
 * so in {@code Tus-Extension}): {@code Upload-Defer-Length} without creation-defer-length and
 * {@code Upload-Concat} without concatenation answer 400 {@link
 * ErrorCode#EXTENSION_NOT_SUPPORTED} before anything is stored; DELETE without termination is
 * not routed at all (405 with {@code Allow}).
 */
public final class TusExtensions {
  public static final String DEFER_LENGTH = "creation-defer-length";
  public static final String TERMINATION = "termination";
  public static final String CONCATENATION = "concatenation";

  private TusExtensions() {}

  /** The extensions to advertise over {@code capabilities}, in the order they are listed. */
  public static List<String> advertised(StoreCapabilities capabilities) {
    List<String> ext = new ArrayList<>(List.of("creation", "creation-with-upload"));
    if (capabilities.lengthDeferrer().isPresent()) {
      ext.add(DEFER_LENGTH);
    }
    if (capabilities.terminator().isPresent()) {
      ext.add(TERMINATION);
    }
    if (capabilities.concatenator().isPresent()) {
      ext.add(CONCATENATION);
      ext.add("concatenation-unfinished");
    }
    ext.add("checksum");
    ext.add("checksum-trailer");
    ext.add("expiration");
    return List.copyOf(ext);
  }

  /**
   * Refuses a creation that needs an extension the store lacks: a deferred length (a final
   * upload's length is the server's to compute, not a deferral) or any {@code Upload-Concat}.
   */
  public static void checkCreation(CreationRequest creation, StoreCapabilities capabilities) {
    if (creation.concat().kind() != ConcatKind.NONE && capabilities.concatenator().isEmpty()) {
      throw unsupported(CONCATENATION);
    }
    if (creation.length().isEmpty()
        && creation.concat().kind() != ConcatKind.FINAL
        && capabilities.lengthDeferrer().isEmpty()) {
      throw unsupported(DEFER_LENGTH);
    }
  }

  /** The 400 for a request that needs {@code extension}, which this server does not offer. */
  public static TusException unsupported(String extension) {
    return new TusException(
        ErrorCode.EXTENSION_NOT_SUPPORTED,
        "this server does not offer the tus extension " + extension
            + " (see Tus-Extension in the response to OPTIONS)");
  }
}
