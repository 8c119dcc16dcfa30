package dev.tusk.core;

/**
 * Capability: the store's reads touch only a local file system. {@link UploadStore#find} and
 * {@link UploadStore#openRead} then do nothing slower than reading a small file, metadata system
 * calls and opening a file, never a network round trip, and {@code openRead} returns a {@link
 * java.nio.channels.FileChannel} for sendfile. The server may then serve a download on the I/O
 * thread that parsed the request, as a static file server like nginx does, instead of handing it
 * to a storage thread and back.
 */
public interface LocalReads {
  /**
   * True if the reads are local now: a store whose directory turned out to be on a network file
   * system (NFS, SMB, FUSE) answers false.
   */
  boolean readsAreLocal();
}
