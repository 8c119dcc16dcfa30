package dev.tusk.server.hooks;

import static dev.tusk.server.fuzz.FuzzInput.MAX_DURATION;
import static dev.tusk.server.fuzz.FuzzInput.assertHeaderSafe;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.hooks.BlockingCalls.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fuzz tests of a hook receiver's answer (tusd's JSON shape): a body is either refused with
 * {@link IllegalArgumentException} (the receiver's failure, which fail-open or fail-closed
 * decides) or read into an answer whose verdict for every hook type is a 4xx/5xx with safe
 * headers, and whose ChangeFileInfo, once checked, applies without an exception. Seeds: {@code
 * src/test/resources/dev/tusk/server/hooks/HookResponseFuzzTestInputs/<method>/}.
 */
class HookResponseFuzzTest {
  private static final FakeReceiver RECEIVER = new FakeReceiver("fuzz");
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final UploadInfo DRAFT =
      UploadInfo.draft(
          new UploadId("0123456789abcdef0123456789abcdef"), OptionalLong.of(10),
          Map.of("filename", "a.txt"), NOW, NOW.plusSeconds(3600));

  @FuzzTest(maxDuration = MAX_DURATION)
  void answer(byte[] data) {
    HookResponse response;
    try {
      response = HookResponse.parse(data);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    List<Result> results = List.of(new Result(RECEIVER, response, null));
    for (HookType type : HookType.values()) {
      Optional<TusException> rejection = Verdicts.rejection(type, results, false);
      rejection.ifPresent(
          e -> {
            assertThat(e.status()).isBetween(400, 599);
            e.headers().forEach((name, value) -> {
              assertHeaderSafe(name);
              assertHeaderSafe(value);
            });
          });
    }
    List<Result> checked = Verdicts.checkChanges(results, id -> false);
    UploadInfo changed = Verdicts.applyChanges(DRAFT, checked);
    assertThat(changed.offset()).isEqualTo(DRAFT.offset());
  }
}
