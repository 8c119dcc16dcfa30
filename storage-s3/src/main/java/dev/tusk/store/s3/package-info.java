/**
 * The S3 store: {@link dev.tusk.store.s3.S3UploadStore} and its configuration ({@link
 * dev.tusk.store.s3.S3StoreConfig}). Everything that knows the AWS SDK lives here and nowhere else;
 * the server sees only the core SPI. Package-private classes split the store by concern: object and
 * multipart requests ({@code S3Objects}, {@code S3Multipart}), the key layout and commit record
 * ({@code S3Layout}, {@code TailRecord}), part buffering and parallel upload ({@code TempSpace},
 * {@code PartBuffer}, {@code PartWriter}), the append session, completion, concatenation planning
 * and the offset cache.
 */
package dev.tusk.store.s3;
