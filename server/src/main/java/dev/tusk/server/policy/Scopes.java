package dev.tusk.server.policy;

import java.util.Set;

/** The scopes a credential may carry; {@code admin} implies the others and any owner. */
public final class Scopes {
  public static final String UPLOAD = "upload";
  public static final String DOWNLOAD = "download";
  public static final String ADMIN = "admin";
  public static final Set<String> ALL = Set.of(UPLOAD, DOWNLOAD, ADMIN);

  private Scopes() {}
}
