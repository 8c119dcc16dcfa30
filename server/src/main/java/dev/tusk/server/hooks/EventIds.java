package dev.tusk.server.hooks;

import dev.tusk.core.UploadInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Event ids, sent as {@code Idempotency-Key}. A notification that happens once in an upload's life
 * (post-create, post-finish, post-terminate) gets an id derived from the hook type, the upload id
 * and its creation time, so every retry, every restart and even a second trigger of the same event
 * carry the same key. Other calls get a random id that their retries share.
 */
final class EventIds {
  private EventIds() {}

  /** 32 hex digits from SHA-256 of type, upload id and creation instant. */
  static String of(HookType type, UploadInfo info) {
    String seed = type.wireName() + "\n" + info.id().value() + "\n" + info.createdAt();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String random() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
