package dev.tusk.store.s3;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.ExpiryEntry;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Creates uploads: the multipart upload first (its id goes into the {@code .info}), then the
 * expiry index entry, then the {@code .info} with {@code If-None-Match: *}, aborting the multipart upload again if the id is taken.
 * Thread-safe; blocks on S3.
 */
final class UploadCreator {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StoreContext ctx;

  UploadCreator(StoreContext ctx) {
    this.ctx = ctx;
  }

  UploadInfo create(UploadInfo draft) throws IOException {
    long length = draft.length().orElse(0);
    if (length > ctx.config().maxUploadSize()) {
      throw new TusException(
          ErrorCode.MAX_SIZE_EXCEEDED,
          "length " + length + " exceeds the S3 store's maximum " + ctx.config().maxUploadSize());
    }
    boolean empty = draft.length().isPresent() && length == 0;
    String dataKey = ctx.layout().dataKey(draft.id());
    Map<String, String> storage = new LinkedHashMap<>(draft.storage());
    storage.put(S3Layout.TOKEN, token());
    if (empty) {
      storage.put(S3Layout.STATE, S3Layout.COMPLETE);
    } else {
      storage.put(S3Layout.UPLOAD_ID, ctx.multipart().create(dataKey));
    }
    UploadInfo info = draft.withOffset(0, draft.updatedAt()).withStorage(storage);
    // the index entry before the info: a crash between them leaves an entry without an upload,
    // which the sweeper removes, never an upload the sweeper does not know of
    Optional<ExpiryEntry> entry = ExpiryEntry.of(info);
    if (entry.isPresent()) {
      try {
        ctx.expiry().add(entry.get());
      } catch (IOException | RuntimeException e) {
        abortQuietly(info, e);
        throw e;
      }
    }
    writeInfo(info);
    if (empty) {
      ctx.objects().put(dataKey, RequestBody.empty(), Map.of());
    }
    ctx.tails().absent(info.id()); // a new upload has committed nothing yet
    ctx.cache().put(info);
    return info;
  }

  private void writeInfo(UploadInfo info) throws IOException {
    boolean created;
    try {
      created = ctx.infos().createIfAbsent(info);
    } catch (IOException | RuntimeException e) {
      abortQuietly(info, e);
      throw e;
    }
    if (!created) {
      FileAlreadyExistsException taken =
          new FileAlreadyExistsException(ctx.layout().infoKey(info.id()), null, "id taken");
      abortQuietly(info, taken);
      throw taken;
    }
  }

  private void abortQuietly(UploadInfo info, Exception failure) {
    String uploadId = info.storage().get(S3Layout.UPLOAD_ID);
    if (uploadId == null) {
      return;
    }
    try {
      ctx.multipart().abort(ctx.layout().dataKey(info.id()), uploadId);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** 128 random bits in hex: tells this process's write from another's. */
  static String token() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
