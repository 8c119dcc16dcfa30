package dev.tusk.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadInfo;
import dev.tusk.server.hooks.BlockingCalls.Result;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VerdictsTest {
  private static final FakeReceiver A = new FakeReceiver("a");
  private static final FakeReceiver B = new FakeReceiver("b");

  private static Result ok(FakeReceiver r, String json) {
    return new Result(r, FakeReceiver.answer(json), null);
  }

  private static Result failed(FakeReceiver r) {
    return new Result(r, null, FakeReceiver.down());
  }

  /** A hook type, the answers, fail-open, and the expected status (0: no rejection). */
  record Case(String name, HookType type, List<Result> results, boolean failOpen, int status) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("pre-create allowed", HookType.PRE_CREATE, List.of(ok(A, "{}"), ok(B, "{}")), false, 0),
        new Case("pre-create RejectUpload defaults to 400", HookType.PRE_CREATE,
            List.of(ok(A, "{\"RejectUpload\":true}")), false, 400),
        new Case("pre-create rejection keeps 413", HookType.PRE_CREATE,
            List.of(ok(A, "{}"), ok(B, "{\"RejectUpload\":true,\"HTTPResponse\":{\"StatusCode\":413}}")), false, 413),
        new Case("status without RejectUpload does not reject pre-create", HookType.PRE_CREATE,
            List.of(ok(A, "{\"HTTPResponse\":{\"StatusCode\":413}}")), false, 0),
        new Case("rejection wins over a failure", HookType.PRE_CREATE,
            List.of(failed(A), ok(B, "{\"RejectUpload\":true,\"HTTPResponse\":{\"StatusCode\":401}}")), false, 401),
        new Case("failure fails closed with 503", HookType.PRE_CREATE, List.of(ok(A, "{}"), failed(B)), false, 503),
        new Case("failure fails open", HookType.PRE_CREATE, List.of(ok(A, "{}"), failed(B)), true, 0),
        new Case("pre-access RejectAccess defaults to 403", HookType.PRE_ACCESS,
            List.of(ok(A, "{\"RejectAccess\":true}")), false, 403),
        new Case("pre-access error status rejects", HookType.PRE_ACCESS,
            List.of(ok(A, "{\"HTTPResponse\":{\"StatusCode\":401}}")), false, 401),
        new Case("pre-finish error status rejects", HookType.PRE_FINISH,
            List.of(ok(A, "{\"HTTPResponse\":{\"StatusCode\":422}}")), false, 422),
        new Case("pre-finish 200 does not reject", HookType.PRE_FINISH,
            List.of(ok(A, "{\"HTTPResponse\":{\"StatusCode\":200}}")), false, 0),
        new Case("pre-terminate RejectTermination", HookType.PRE_TERMINATE,
            List.of(ok(A, "{\"RejectTermination\":true}")), false, 400),
        new Case("RejectUpload means nothing to pre-terminate", HookType.PRE_TERMINATE,
            List.of(ok(A, "{\"RejectUpload\":true}")), false, 0));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rejection(Case c) {
    Optional<TusException> r = Verdicts.rejection(c.type(), c.results(), c.failOpen());
    assertThat(r.map(TusException::status).orElse(0)).isEqualTo(c.status());
  }

  @Test
  void rejection_keepsBodyAndHeadersButNotHopByHop() {
    TusException e = Verdicts.rejection(HookType.PRE_CREATE, List.of(ok(A, """
        {"RejectUpload": true, "HTTPResponse": {"StatusCode": 413, "Body": "{\\"m\\":1}",
         "Header": {"Content-Type": "application/json", "Content-Length": "3", "X-Quota": "0"}}}
        """)), false).orElseThrow();
    assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_REJECTED);
    assertThat(e.body()).contains("{\"m\":1}");
    assertThat(e.headers()).containsEntry("Content-Type", "application/json")
        .containsEntry("X-Quota", "0").doesNotContainKey("Content-Length");
  }

  @Test
  void rejection_dropsHeadersWithControlOrNonAsciiCharacters() {
    // U+010D U+010A would go out as CR LF if a writer kept only the low byte of each char
    TusException e = Verdicts.rejection(HookType.PRE_ACCESS, List.of(ok(A, """
        {"RejectAccess": true, "HTTPResponse": {"Header": {
          "X-Soh": "a\\u0001b", "X-Del": "a\\u007fb", "X-Wide": "a\\u010d\\u010aSet-Cookie: s=1",
          "X-Tab": "a\\tb", "X-Ok": "fine; q=1"}}}
        """)), false).orElseThrow();
    assertThat(e.headers()).containsOnlyKeys("X-Ok");
  }

  @Test
  void failClosed_isHookUnavailable() {
    TusException e = Verdicts.rejection(HookType.PRE_ACCESS, List.of(failed(A)), false).orElseThrow();
    assertThat(e.code()).isEqualTo(ErrorCode.HOOK_UNAVAILABLE);
    assertThat(e.body()).isEmpty();
  }

  @Test
  void changes_invalidIdTakenIdOrBadKey_becomeFailures() {
    List<Result> checked = Verdicts.checkChanges(List.of(
        ok(A, "{\"ChangeFileInfo\":{\"ID\":\"../../etc\"}}"),
        ok(B, "{\"ChangeFileInfo\":{\"ID\":\"already-there-1\"}}"),
        ok(A, "{\"ChangeFileInfo\":{\"MetaData\":{\"bad key\":\"v\"}}}"),
        ok(B, "{\"ChangeFileInfo\":{\"ID\":\"fresh-id-0001\",\"MetaData\":{\"k\":\"v\"}}}")),
        id -> id.value().equals("already-there-1"));
    assertThat(checked).extracting(Result::ok).containsExactly(false, false, false, true);
  }

  @Test
  void changes_applyPerPropertyInReceiverOrder() {
    UploadInfo draft = Fixtures.upload(0, 10);
    UploadInfo changed = Verdicts.applyChanges(draft, List.of(
        ok(A, "{\"ChangeFileInfo\":{\"ID\":\"first-id-0001\",\"MetaData\":{\"a\":\"1\"}}}"),
        failed(B),
        ok(B, "{\"ChangeFileInfo\":{\"ID\":\"second-id-0002\"}}")));
    assertThat(changed.id().value()).isEqualTo("second-id-0002");
    assertThat(changed.metadata()).isEqualTo(Map.of("a", "1"));
  }
}
