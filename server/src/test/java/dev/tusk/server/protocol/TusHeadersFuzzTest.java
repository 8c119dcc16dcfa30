package dev.tusk.server.protocol;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static dev.tusk.server.fuzz.FuzzInput.assertClientError;
import static dev.tusk.server.fuzz.FuzzInput.fields;
import static dev.tusk.server.fuzz.FuzzInput.number;
import static dev.tusk.server.fuzz.FuzzInput.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tusk.core.ConcatKind;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fuzz tests of the tus request headers: what a client sends is either refused with a 4xx
 * {@link TusException} or parsed into a value that survives being written out and read again.
 * Seeds: {@code src/test/resources/dev/tusk/server/protocol/TusHeadersFuzzTestInputs/<method>/}.
 */
class TusHeadersFuzzTest {
  private static final String BASE = "/files/";

  /** Upload-Length against a maximum size: a non-negative long within the maximum, or a 4xx. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void uploadLength(byte[] data) {
    String[] f = fields(data, 2);
    long maxSize = number(f[1], 0);
    long length;
    try {
      length = CreationRequest.parseLength(f[0], maxSize);
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    assertThat(length).isNotNegative();
    if (maxSize > 0) {
      assertThat(length).isLessThanOrEqualTo(maxSize);
    }
    assertThat(CreationRequest.parseLength(Long.toString(length), maxSize)).isEqualTo(length);
  }

  /**
   * The headers of a tus creation: Upload-Length, Upload-Defer-Length, Upload-Metadata and
   * Upload-Concat together, one field per line.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void creation(byte[] data) {
    String[] f = fields(data, 5);
    CreationRequest request;
    try {
      request = CreationRequest.parse(f[0], f[1], f[2], f[3], BASE, number(f[4], 0));
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    if (request.concat().kind() == ConcatKind.FINAL) {
      assertThat(request.length()).isEmpty();
    } else if (f[1] != null) {
      assertThat(request.length()).isEmpty();
    } else {
      assertThat(request.length()).isPresent();
    }
    assertThat(Metadata.parse(Metadata.encode(request.metadata())))
        .containsExactlyEntriesOf(request.metadata());
  }

  /** Upload-Metadata: a parse either fails with a 4xx or gives pairs that encode and parse back. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void metadata(byte[] data) {
    Map<String, String> parsed;
    try {
      parsed = Metadata.parse(text(data));
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    String encoded = Metadata.encode(parsed);
    assertThat(Metadata.parse(encoded)).containsExactlyEntriesOf(parsed);
  }

  /** Upload-Concat: partial, or final with upload URLs that list the same ids when written again. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void concat(byte[] data) {
    ConcatHeader parsed;
    try {
      parsed = ConcatHeader.parse(text(data), BASE);
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    String again =
        switch (parsed.kind()) {
          case NONE -> null;
          case PARTIAL -> "partial";
          case FINAL ->
              "final;"
                  + parsed.partials().stream()
                      .map(UploadId::value)
                      .map(id -> BASE + id)
                      .collect(Collectors.joining(" "));
        };
    assertThat(ConcatHeader.parse(again, BASE)).isEqualTo(parsed);
  }

  /** Upload-Checksum: an algorithm and digest that survive being written out again, or a 4xx. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void checksum(byte[] data) {
    Checksum parsed;
    try {
      parsed = Checksum.parse(text(data));
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    Checksum again =
        Checksum.parse(
            parsed.algorithm().tusName() + " " + Base64.getEncoder().encodeToString(parsed.expected()));
    assertThat(again.algorithm()).isEqualTo(parsed.algorithm());
    assertThat(again.expected()).isEqualTo(parsed.expected());
  }

  /**
   * The headers of a PATCH (Content-Type, Upload-Offset, Upload-Checksum, Trailer, Upload-Length
   * and the maximum size, one per line): a request whose offset and length read back as sent.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void patch(byte[] data) {
    String[] f = fields(data, 6);
    PatchRequest request;
    try {
      request = PatchRequest.parse(f[0], f[1], f[2], f[3], f[4], -1, number(f[5], 0));
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    assertThat(request.offset()).isNotNegative();
    assertThat(Long.toString(request.offset())).isEqualTo(f[1].replaceFirst("^0+(?=.)", ""));
    request.uploadLength().ifPresent(l -> assertThat(l).isNotNegative());
  }

  /** The {@code ttl} a client asks for: within 1 second and the maximum, or a 4xx. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void ttl(byte[] data) {
    Duration max = Duration.ofDays(7);
    Duration ttl;
    try {
      ttl = Ttl.resolve(text(data), Duration.ofHours(24), max);
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    assertThat(ttl).isBetween(Duration.ofSeconds(1), max);
    assertThat(Ttl.resolve(Long.toString(ttl.toSeconds()), Duration.ofHours(24), max)).isEqualTo(ttl);
  }

  /**
   * A single-request upload (filename and ttl query parameters, Content-Type, Content-Length, one
   * per line): metadata a tus client could have sent, or a 4xx.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void singleRequest(byte[] data) {
    String[] f = fields(data, 4);
    long contentLength = f[3] == null || f[3].isEmpty() ? -1 : number(f[3], -1);
    SimpleUploadRequest request;
    try {
      request =
          SimpleUploadRequest.parse(
              f[0], emptyToNull(f[1]), contentLength, contentLength < 0, f[2], Duration.ofHours(24),
              Duration.ofDays(7), 1L << 30);
    } catch (TusException e) {
      assertClientError(e);
      return;
    }
    assertThat(Metadata.parse(Metadata.encode(request.metadata())))
        .containsExactlyEntriesOf(request.metadata());
    assertThat(ContentTypes.forResponse(ContentTypes.declared(request.metadata())))
        .matches("[a-z0-9!#$&^_.+/-]+(; charset=[a-z0-9._:-]+)?");
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
