package dev.tusk.bench;

/**
 * {@code s3}: pending. The hook for "tusk→S3 against a direct AWS SDK multipart upload of the same
 * bytes to the same endpoint". Plan, once tusk's S3 store exists:
 *
 * <ol>
 *   <li>{@link Compare} starts an S3 endpoint on 127.0.0.1 (s3proxy's jar-with-dependencies with
 *       the filesystem-nio2 provider under the scenario's data directory, see FINDINGS) and tusk
 *       with its S3 store pointed at it (flags to be taken from the server's CLI).
 *   <li>This scenario then runs {@link BigScenario}'s measured upload against tusk (MB/s, server
 *       CPU s/GB, peak RSS), and as the baseline uploads the same {@link Payload} stream with the
 *       AWS SDK v2 (S3Client createMultipartUpload / uploadPart of the same part size /
 *       completeMultipartUpload, checksums WHEN_REQUIRED) from this process to the same endpoint.
 *   <li>The report shows tusk's MB/s against the direct SDK's, and the endpoint's own CPU for both.
 * </ol>
 *
 * Until then it reports itself pending rather than a number.
 */
final class S3Scenario implements Scenario {
  static final String PENDING =
      "pending: needs tusk's S3 store (storage-s3) and an S3 endpoint; see S3Scenario";

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public String summary() {
    return "tusk→S3 against a direct AWS SDK multipart upload of the same bytes — pending";
  }

  @Override
  public void run(Target target, Settings settings, Payload payload, Result result) {
    result.put("status", "pending");
    result.fail(PENDING);
  }
}
