package dev.tusk.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ErrorCode;
import dev.tusk.server.logging.RequestObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownGateTest {
  @Test
  void awaitIdle_nothingAdmitted_returnsAtOnce() throws Exception {
    ShutdownGate gate = new ShutdownGate();
    gate.close();
    assertThat(gate.isClosed()).isTrue();
    assertThat(gate.awaitIdle(Duration.ofMillis(10))).isTrue();
  }

  @Test
  void inFlight_stopAll_stopsPresentAndLaterBodies_untilUnregistered() {
    InFlight inFlight = new InFlight();
    List<ErrorCode> stopped = new ArrayList<>();
    Runnable untrack = inFlight.track(stopped::add);
    assertThat(inFlight.size()).isEqualTo(1);
    inFlight.stopAll(ErrorCode.SERVER_SHUTDOWN);
    inFlight.track(stopped::add);
    assertThat(stopped).containsExactly(ErrorCode.SERVER_SHUTDOWN, ErrorCode.SERVER_SHUTDOWN);
    untrack.run();
    assertThat(inFlight.size()).isEqualTo(1);
  }

  @Test
  void route_replacesTheUploadId() {
    RequestObserver observer = new RequestObserver(ex -> {}, null, "/files/", false);
    assertThat(observer.route("/files/")).isEqualTo("/files/");
    assertThat(observer.route("/files")).isEqualTo("/files/");
    assertThat(observer.route("/files/0123456789abcdef")).isEqualTo("/files/{id}");
    assertThat(observer.route("/files/0123456789abcdef/details")).isEqualTo("/files/{id}/details");
    assertThat(observer.route("/files/0123456789abcdef/%2e%2e")).isEqualTo("/files/{id}/*");
    assertThat(observer.route("/elsewhere")).isEqualTo("other");
  }
}
