package dev.tusk.server.policy;

import dev.tusk.core.UploadInfo;
import java.io.IOException;

/**
 * Where hooks and access control take part in the life of an upload. Every method has a no-op
 * default. {@code before*} methods may reject by throwing a {@link dev.tusk.core.TusException}
 * (its status and detail reach the client as they are) and run on the storage executor, so they
 * may block (e.g. an HTTP call). The exception: a policy whose {@link #accessMayBlock()} is false
 * may have {@link #beforeAccess} called on an I/O thread (downloads from a local store). {@code
 * after*} methods must not block for long: implementations that deliver notifications queue them.
 * Implementations are thread-safe.
 */
public interface UploadPolicy {
  /** No hooks, no access control. */
  UploadPolicy NONE =
      new UploadPolicy() {
        @Override
        public boolean accessMayBlock() {
          return false;
        }
      };

  /**
   * What an access to an existing upload is for; {@code CONCATENATE}: naming it as a partial
   * upload of a final one (its bytes are read into the final).
   */
  enum Access { HEAD, PATCH, GET, DELETE, DETAILS, CONCATENATE, EXPIRY }

  /**
   * Before an upload is created (tusd pre-create). May reject, or return a changed draft (another
   * id, other metadata, attributes such as the owner).
   */
  default UploadInfo beforeCreate(RequestContext request, UploadInfo draft) throws IOException {
    return draft;
  }

  /** After an upload was created (tusd post-create). */
  default void afterCreate(RequestContext request, UploadInfo info) {}

  /**
   * Before any request on an existing upload (pre-access), before anything else is checked or
   * done: also for an expired upload (the 410 comes after it) and for each partial upload a
   * concatenation names. May reject; a caller who may not know of the upload at all is rejected
   * with the 404 of an unknown upload.
   */
  default void beforeAccess(RequestContext request, UploadInfo info, Access access) throws IOException {}

  /**
   * False if {@link #beforeAccess} never blocks (it checks what is in memory, no network call), so
   * that a download may be answered on an I/O thread. True, the default, keeps it on the storage
   * executor.
   */
  default boolean accessMayBlock() {
    return true;
  }

  /**
   * While bytes arrive (tusd post-receive); called after each stored buffer with the upload at its
   * current offset, so implementations throttle. Returns true to stop the upload (tusd
   * StopUpload): the request ends with ERR_UPLOAD_STOPPED and the upload is terminated. May
   * instead throw a {@link dev.tusk.core.TusException} to end the request with that error while
   * keeping the bytes stored so far (e.g. a body slower than the minimum speed).
   */
  default boolean onProgress(RequestContext request, UploadInfo info) {
    return false;
  }

  /**
   * After the last byte was stored, before the client is told (tusd pre-finish). May reject: the
   * client gets the error, the bytes stay. May return the upload with changed attributes.
   */
  default UploadInfo beforeFinish(RequestContext request, UploadInfo info) throws IOException {
    return info;
  }

  /** After an upload was completed and the client told (tusd post-finish). */
  default void afterFinish(RequestContext request, UploadInfo info) {}

  /** Before an upload is terminated by a client (tusd pre-terminate); may reject. */
  default void beforeTerminate(RequestContext request, UploadInfo info) throws IOException {}

  /** After an upload was terminated by a client (tusd post-terminate). */
  default void afterTerminate(RequestContext request, UploadInfo info) {}

  /** After the sweeper deleted an expired upload. */
  default void afterExpire(UploadInfo info) {}

  /**
   * After an upload's expiry was changed or the upload was kept ({@link UploadInfo#expiresAt}
   * empty): by a backend's {@code PATCH <upload URL>/details} or a post-finish hook's answer.
   */
  default void afterExpiryChange(RequestContext request, UploadInfo info) {}
}
