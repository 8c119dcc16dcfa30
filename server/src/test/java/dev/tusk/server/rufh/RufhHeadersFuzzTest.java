package dev.tusk.server.rufh;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tusk.core.TusException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fuzz tests of the draft's header fields, parsed from any client input. Seeds: {@code
 * src/test/resources/dev/tusk/server/rufh/RufhHeadersFuzzTestInputs/<method>/}.
 */
class RufhHeadersFuzzTest {
  /** An Item: an Integer parses back from its own serialization; nothing but empty escapes. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void items(byte[] data) {
    String raw = new String(data, StandardCharsets.ISO_8859_1);
    OptionalLong n = StructuredFields.parseInteger(raw);
    if (n.isPresent()) {
      assertThat(StructuredFields.parseInteger(Long.toString(n.getAsLong()))).isEqualTo(n);
      assertThat(Math.abs(n.getAsLong())).isLessThanOrEqualTo(999_999_999_999_999L);
    }
    Optional<Boolean> b = StructuredFields.parseBoolean(raw);
    b.ifPresent(v -> assertThat(StructuredFields.parseBoolean(StructuredFields.serializeBoolean(v))).hasValue(v));
  }

  /** A Dictionary: what parses serializes to a dictionary that parses to the same members. */
  @FuzzTest(maxDuration = MAX_DURATION)
  void dictionary(byte[] data) {
    String raw = new String(data, StandardCharsets.ISO_8859_1);
    Optional<Map<String, Long>> members = StructuredFields.parseIntegerDictionary(raw);
    members.ifPresent(m ->
        assertThat(StructuredFields.parseIntegerDictionary(StructuredFields.serializeDictionary(m))).hasValue(m));
  }

  /**
   * A request (first byte picks the version, then three lines: completeness, offset, length):
   * parsing and every procedure's check either succeed or fail with a 4xx, never otherwise.
   */
  @FuzzTest(maxDuration = MAX_DURATION)
  void request(byte[] data) {
    InteropVersion[] all = InteropVersion.values();
    InteropVersion v = data.length == 0 ? InteropVersion.V9 : all[Math.floorMod(data[0], all.length)];
    String[] lines = new String(data, Math.min(1, data.length), Math.max(0, data.length - 1),
        StandardCharsets.ISO_8859_1).split("\n", -1);
    String complete = lines.length > 0 ? lines[0] : null;
    String offset = lines.length > 1 && !lines[1].isEmpty() ? lines[1] : null;
    String length = lines.length > 2 && !lines[2].isEmpty() ? lines[2] : null;
    try {
      RufhRequest r = RufhRequest.parse(v, complete, complete, offset, length, data.length);
      checked(() -> r.creation(1_000));
      checked(() -> r.append(3, OptionalLong.of(10), false, 1_000));
      checked(() -> r.append(3, OptionalLong.empty(), false, 0));
      checked(() -> r.append(10, OptionalLong.of(10), true, 0));
      checked(() -> r.requireNoUploadFields("offset retrieval"));
    } catch (TusException e) {
      assertThat(e.status()).isBetween(400, 499);
    }
  }

  private static void checked(Runnable check) {
    try {
      check.run();
    } catch (TusException e) {
      assertThat(e.status()).isBetween(400, 499);
    }
  }
}
