package dev.tusk.store.s3;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What every {@link PartWriter} of a store shares: the multipart requests, the temp space, the
 * upload executor and the per-upload limit of parts in flight.
 *
 * @param budgetWait how long a writer waits for temp space before failing with 503
 * @param streamStall how long a part uploading while it fills waits for the next byte before its
 *     request is abandoned (the bytes then wait in the buffer as usual)
 */
record PartUploader(
    S3Multipart multipart,
    TempSpace temp,
    ExecutorService executor,
    int maxInFlight,
    Duration budgetWait,
    Duration streamStall) {

  PartWriter open(PartWriter.Target target, boolean deferUploads) {
    return new PartWriter(this, target, deferUploads);
  }
}
