package dev.tusk.store.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the synchronous S3 client (Apache HttpClient 5) an {@link S3StoreConfig} describes: each
 * request, the SDK's retries included, is bounded by {@link S3StoreConfig#callTimeout()} unless it
 * sets its own bound (part uploads, see {@link S3Multipart}).
 */
final class S3Clients {
  private S3Clients() {}

  static S3Client build(S3StoreConfig config, int maxConnections) {
    return builder(config, maxConnections).build();
  }

  /** The builder {@link #build} uses, for tests that add to it. */
  static S3ClientBuilder builder(S3StoreConfig config, int maxConnections) {
    boolean required = config.checksumMode() == ChecksumMode.WHEN_REQUIRED;
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(config.region()))
            .forcePathStyle(config.pathStyle())
            .credentialsProvider(credentials(config))
            .httpClientBuilder(Apache5HttpClient.builder().maxConnections(maxConnections))
            .overrideConfiguration(o -> o.apiCallTimeout(config.callTimeout()))
            .requestChecksumCalculation(
                required
                    ? RequestChecksumCalculation.WHEN_REQUIRED
                    : RequestChecksumCalculation.WHEN_SUPPORTED)
            .responseChecksumValidation(
                required
                    ? ResponseChecksumValidation.WHEN_REQUIRED
                    : ResponseChecksumValidation.WHEN_SUPPORTED);
    config.endpoint().ifPresent(builder::endpointOverride);
    return builder;
  }

  private static AwsCredentialsProvider credentials(S3StoreConfig config) {
    return config
        .credentials()
        .<AwsCredentialsProvider>map(
            c ->
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
        .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }
}
