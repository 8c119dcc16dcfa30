package dev.tusk.store.s3;

/**
 * A static access key. When absent from {@link S3StoreConfig}, the AWS SDK's default provider chain
 * is used (environment, system properties, profile files, container and instance roles).
 *
 * @param accessKeyId the access key id
 * @param secretAccessKey the secret; never printed by {@link #toString()}
 */
public record S3Credentials(String accessKeyId, String secretAccessKey) {
  public S3Credentials {
    if (accessKeyId == null || accessKeyId.isBlank()) {
      throw new IllegalArgumentException("S3 access key id must not be blank");
    }
    if (secretAccessKey == null || secretAccessKey.isEmpty()) {
      throw new IllegalArgumentException("S3 secret access key must not be empty");
    }
  }

  @Override
  public String toString() {
    return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
  }
}
