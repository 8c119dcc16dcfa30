package dev.tusk.server.links;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.Terminator;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.core.UseRecorder;
import dev.tusk.server.limits.Limits;
import dev.tusk.server.policy.Principal;
import dev.tusk.server.protocol.ContentTypes;
import dev.tusk.server.protocol.Ttl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** How a link shapes the upload it creates, and the whole-file checksum it may demand. */
public final class LinkUploads {
  private LinkUploads() {}

  /**
   * The draft as the link makes it: the link's upload id, owner, file TTL and metadata (over the
   * client's), after checking that it is a plain upload of a declared, allowed length and type
   * and that the link was not used before; then records the link as used. A link whose request
   * passed these checks is used up even if a later step (a pre-create hook, the store) refuses the
   * upload: a link creates at most one upload, so a doubt counts as a use.
   */
  public static UploadInfo apply(UploadInfo draft, UploadLink link, StoreCapabilities store)
      throws IOException {
    if (draft.concat() != ConcatKind.NONE) {
      throw new TusException(
          ErrorCode.FORBIDDEN, "an upload link creates one plain upload, not a concatenation part");
    }
    if (store.store().find(link.uploadId()).isPresent()) {
      throw used();
    }
    if (draft.length().isEmpty()) {
      throw new TusException(
          ErrorCode.INVALID_UPLOAD_DEFER_LENGTH, "an upload through a link must declare its length");
    }
    long length = draft.length().getAsLong();
    Limits limits = link.limits();
    if (limits.maxSize().isPresent() && length > limits.maxSize().getAsLong()) {
      throw Limits.tooLarge(length, limits.maxSize().getAsLong());
    }
    if (link.size().isPresent() && length != link.size().getAsLong()) {
      throw new TusException(
          ErrorCode.INVALID_UPLOAD_LENGTH,
          "the link is for a file of exactly " + link.size().getAsLong() + " bytes, not " + length);
    }
    Map<String, String> metadata = new LinkedHashMap<>(draft.metadata());
    metadata.putAll(link.metadata());
    link.filename().ifPresent(name -> metadata.put("filename", name));
    if (!limits.allowsType(ContentTypes.declared(metadata))) {
      throw new TusException(
          ErrorCode.INVALID_CONTENT_TYPE,
          "the link allows only files of type " + link.contentTypes() + " (declare it as filetype)");
    }
    recordUse(link, store);
    UploadInfo shaped =
        draft.withId(link.uploadId())
            .withMetadata(metadata)
            .withExpiresAt(Ttl.expiry(draft.createdAt(), link.fileTtl()))
            .withAttribute(Principal.OWNER, link.owner())
            .withAttribute(Principal.LINK_CLAIM, link.uploadId().value());
    shaped = shaped.withAttribute(UploadLink.LINK_SHA256, link.sha256().orElse(null));
    shaped = shaped.withAttribute(UploadLink.LINK_MD5, link.md5().orElse(null));
    return shaped.withAttribute(UploadLink.LINK_CALLBACK, link.callback().map(Object::toString).orElse(null));
  }

  /**
   * Records in the store that the link created its upload, once the request passed every check of
   * the link: from then on the link answers ERR_LINK_USED on every instance sharing the store,
   * after a restart, and after its upload is deleted. A store that cannot keep such a record
   * refuses the link only while its upload exists.
   */
  private static void recordUse(UploadLink link, StoreCapabilities store) throws IOException {
    Optional<UseRecorder> recorder = store.useRecorder();
    if (recorder.isPresent() && !recorder.get().recordUse(link.uploadId())) {
      throw used();
    }
  }

  private static TusException used() {
    return new TusException(
        ErrorCode.LINK_USED,
        "this upload link was used already; resume its upload, or ask for a new link");
  }

  /**
   * For a complete upload whose link declared a digest of the whole file: reads the file back and
   * compares. On a mismatch the upload is deleted and the client gets 460.
   */
  public static void verifyChecksum(UploadInfo info, StoreCapabilities store) throws IOException {
    String sha256 = info.attributes().get(UploadLink.LINK_SHA256);
    String md5 = info.attributes().get(UploadLink.LINK_MD5);
    if ((sha256 == null && md5 == null) || !info.isComplete()) {
      return;
    }
    MessageDigest digest = newDigest(sha256 != null ? "SHA-256" : "MD5");
    long length = info.length().getAsLong();
    try (ReadableByteChannel in = store.store().openRead(info, 0, length)) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      long left = length;
      while (left > 0) {
        buffer.clear();
        if (left < buffer.capacity()) {
          buffer.limit((int) left);
        }
        int n = in.read(buffer);
        if (n < 0) {
          throw new IOException("upload " + info.id() + " ended " + left + " bytes early");
        }
        buffer.flip();
        digest.update(buffer);
        left -= n;
      }
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    String expected = sha256 != null ? sha256 : md5;
    if (!MessageDigest.isEqual(actual.getBytes(), expected.getBytes())) {
      Optional<Terminator> terminator = store.terminator();
      if (terminator.isPresent()) {
        terminator.get().terminate(info);
      }
      throw new TusException(
          ErrorCode.CHECKSUM_MISMATCH,
          "the file's " + (sha256 != null ? "SHA-256" : "MD5")
              + " does not match the one the upload link declared; the upload was deleted");
    }
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is in every JDK", e);
    }
  }
}
