package dev.tusk.server.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.server.config.ServerConfig;
import dev.tusk.server.protocol.Ttl;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ServerConfigReaderTest {
  private static ServerConfig from(Map<Option<?>, String> flags) throws ConfigException {
    return ServerConfigReader.from(Settings.load(flags, Map.of(), Optional.empty()));
  }

  @Test
  void from_defaults_isServerConfigDefaults() throws Exception {
    ServerConfig d = ServerConfig.defaults();
    ServerConfig c = from(Map.of());
    assertThat(c.withUploadDir(d.uploadDir())).isEqualTo(d);
  }

  @Test
  void from_mapsEveryServerOption() throws Exception {
    ServerConfig c = from(Map.of(
        ServerOptions.PORT, "0", ServerOptions.BASE_PATH, "up", ServerOptions.METRICS_PORT, "9100",
        ServerOptions.SHUTDOWN_TIMEOUT, "30s", ServerOptions.MAX_HEADER_SIZE, "8KiB", ServerOptions.H2C, "true"));
    assertThat(c.basePath()).isEqualTo("/up/");
    assertThat(c.metricsPort()).isEqualTo(OptionalInt.of(9100));
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxHeaderSize()).isEqualTo(8192);
    assertThat(c.h2c()).isTrue();
  }

  @Test
  void from_tlsHalfSet_isAnError() {
    assertThatThrownBy(() -> from(Map.of(ServerOptions.TLS_CERT, "/nonexistent/cert.pem")))
        .hasMessageContaining("tls.cert and tls.key must be set together")
        .hasMessageContaining("'/nonexistent/cert.pem' is not a readable file");
  }

  @Test
  void from_redisWithoutUrl_isAnError() {
    assertThatThrownBy(() -> from(Map.of(ServerOptions.LOCKER, "redis")))
        .hasMessageContaining("redis.url (--redis-url, TUSK_REDIS_URL) is required when --locker is redis");
  }

  @Test
  void from_ttlLongerThanMaxTtl_isAnError() {
    assertThatThrownBy(() -> from(Map.of(ServerOptions.TTL, "8d")))
        .hasMessageContaining("invalid --ttl: 8d is longer than max-ttl 7d (default)");
  }

  @Test
  void from_ttlNever_keepsUploadsUntilDeleted() throws Exception {
    ServerConfig c = from(Map.of(ServerOptions.TTL, "never", ServerOptions.MAX_TTL, "Never"));
    assertThat(c.defaultTtl()).isEqualTo(Ttl.NEVER);
    assertThat(c.maxTtl()).isEqualTo(Ttl.NEVER);
    assertThat(from(Map.of(ServerOptions.MAX_TTL, "never")).defaultTtl()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void from_ttlNeverUnderAFiniteMaxTtl_isAnError() {
    assertThatThrownBy(() -> from(Map.of(ServerOptions.TTL, "never")))
        .hasMessageContaining("invalid --ttl: never is longer than max-ttl 7d (default)");
    assertThatThrownBy(() -> from(Map.of(ServerOptions.TTL, "forever")))
        .hasMessageContaining("forever");
  }

  @Test
  void from_metricsPortEqualToPort_isAnError() {
    assertThatThrownBy(() -> from(Map.of(ServerOptions.METRICS_PORT, "8080")))
        .hasMessageContaining("metrics port must differ from port 8080");
  }

  @Test
  void s3_requiresBucketAndPairedKeys() {
    assertThatThrownBy(() -> from(Map.of(ServerOptions.STORE, "s3", ServerOptions.S3_ACCESS_KEY, "AKIA")))
        .hasMessageContaining("s3.bucket (--s3-bucket, TUSK_S3_BUCKET) is required when --store is s3")
        .hasMessageContaining("s3.access-key and s3.secret-key must be set together");
  }

  @Test
  void s3_mapsOptionsAndTurnsTheOffsetCacheOffInAFleet() throws Exception {
    Settings s = Settings.load(Map.of(
            ServerOptions.STORE, "s3", ServerOptions.S3_BUCKET, "uploads", ServerOptions.S3_ENDPOINT, "http://127.0.0.1:9000",
            ServerOptions.S3_PATH_STYLE, "true", ServerOptions.S3_PART_SIZE, "8MiB", ServerOptions.LOCKER, "redis",
            ServerOptions.REDIS_URL, "redis://127.0.0.1:6379", ServerOptions.S3_CHECKSUM_MODE, "when_required"),
        Map.of(), Optional.empty());
    ServerConfigReader.from(s);
    var c = ServerConfigReader.s3(s);
    assertThat(c.bucket()).isEqualTo("uploads");
    assertThat(c.pathStyle()).isTrue();
    assertThat(c.partSize()).isEqualTo(8L << 20);
    assertThat(c.offsetCache()).isFalse();
    assertThat(c.checksumMode().name()).isEqualTo("WHEN_REQUIRED");
  }

  @Test
  void s3_invalidPartSize_isAConfigError() throws Exception {
    Settings s = Settings.load(Map.of(ServerOptions.STORE, "s3", ServerOptions.S3_BUCKET, "b", ServerOptions.S3_PART_SIZE, "1MiB"),
        Map.of(), Optional.empty());
    assertThatThrownBy(() -> ServerConfigReader.from(s)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("part size");
  }
}
