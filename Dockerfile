# syntax=docker/dockerfile:1
# tusk: a tus 1.0 resumable-upload server. Build: docker build -t tusk .
# Run:   docker run -p 8080:8080 -v tusk-data:/data tusk
# Every option is an environment variable TUSK_<NAME> (docs/operations.md, config/tusk.yaml).

# ---- build: the server's shaded jar, with Maven's and npm's caches kept between builds. npm
# fetches the upload page's pinned Uppy bundle (server/pom.xml); node and npm come from Node's image.
FROM maven:3-eclipse-temurin-17 AS build
COPY --from=node:22-bookworm-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=node:22-bookworm-slim /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.npm \
    mvn -B -q -pl server -am -DskipTests package \
 && cp server/target/tusk.jar /tusk.jar

# ---- run: a JRE, a non-root user, uploads on the /data volume. The JVM is up within seconds,
# well before the first health check (30 s), so no --start-period is needed.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tusk \
 && useradd --system --uid 10001 --gid tusk --home-dir /app --no-create-home --shell /usr/sbin/nologin tusk \
 && mkdir -p /data /app \
 && chown tusk:tusk /data
COPY --from=build /tusk.jar /app/lib/tusk.jar
COPY bin/tusk /app/bin/tusk
COPY config/jvm.options /app/config/jvm.options
ENV TUSK_HOST=0.0.0.0 \
    TUSK_PORT=8080 \
    TUSK_UPLOAD_DIR=/data \
    TUSK_S3_TEMP_DIR=/tmp/tusk-s3 \
    TUSK_LOG_FORMAT=text
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --retries=3 \
  CMD ["java", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", "/app/lib/tusk.jar", "health"]
# bin/tusk starts the JVM with config/jvm.options (a 256 MiB heap, the serial collector); JAVA_OPTS
# adds to or overrides them, e.g. -e JAVA_OPTS=-Xmx1g (docs/operations.md, "The JVM").
ENTRYPOINT ["/app/bin/tusk", "serve"]
