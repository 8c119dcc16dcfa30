package dev.tusk.server.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import dev.tusk.core.UploadId;
import dev.tusk.core.UploadInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The length of a final upload over its partials: sums that overflow, the maximum size. */
class UploadServiceLengthTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void totalLength_sumsDeclaredPartials_andIsEmptyWhileOneIsDeferred() {
    assertThat(UploadService.totalLength(List.of(partial(5), partial(6)))).hasValue(11);
    assertThat(UploadService.totalLength(List.of(partial(5), deferred()))).isEmpty();
    assertThat(UploadService.totalLength(List.of())).hasValue(0);
    assertThat(UploadService.totalLength(List.of(partial(Long.MAX_VALUE - 1), partial(1))))
        .hasValue(Long.MAX_VALUE);
  }

  @Test
  void totalLength_pastLongMax_is413() {
    for (List<UploadInfo> partials :
        List.of(
            List.of(partial(Long.MAX_VALUE), partial(Long.MAX_VALUE)),
            List.of(partial(Long.MAX_VALUE), partial(1)),
            List.of(partial(Long.MAX_VALUE / 2), partial(Long.MAX_VALUE / 2), partial(2)))) {
      assertThatThrownBy(() -> UploadService.totalLength(partials))
          .isInstanceOfSatisfying(
              TusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MAX_SIZE_EXCEEDED));
    }
  }

  @Test
  void finalLength_aboveTheMaximumSize_is413_atOrBelowIsTheSum() {
    assertThat(UploadService.finalLength(List.of(partial(1000), partial(24)), 1024)).hasValue(1024);
    assertThat(UploadService.finalLength(List.of(partial(1000), deferred()), 1024)).isEmpty();
    assertThatThrownBy(() -> UploadService.finalLength(List.of(partial(1000), partial(1000)), 1024))
        .isInstanceOfSatisfying(TusException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.MAX_SIZE_EXCEEDED);
          assertThat(e.detail()).contains("2000", "1024");
        });
    assertThat(UploadService.finalLength(List.of(partial(Long.MAX_VALUE)), 0)).hasValue(Long.MAX_VALUE);
  }

  private static UploadInfo partial(long length) {
    return UploadInfo.draft(UploadId.random(), OptionalLong.of(length), Map.of(), NOW, NOW.plusSeconds(60))
        .withConcat(ConcatKind.PARTIAL, List.of());
  }

  private static UploadInfo deferred() {
    return UploadInfo.draft(UploadId.random(), OptionalLong.empty(), Map.of(), NOW, NOW.plusSeconds(60))
        .withConcat(ConcatKind.PARTIAL, List.of());
  }
}
