package dev.tusk.server.hooks;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** Builds receivers from their configuration and shares what they have in common. */
final class Receivers {
  private Receivers() {}

  static List<Receiver> create(HooksConfig config) {
    Duration connect =
        config.receivers().stream()
            .map(ReceiverConfig::timeout)
            .min(Duration::compareTo)
            .orElse(Duration.ofSeconds(5));
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connect)
            .build();
    List<Receiver> receivers = new ArrayList<>();
    for (ReceiverConfig r : config.receivers()) {
      receivers.add(
          r.kind() == ReceiverConfig.Kind.HTTP
              ? new HttpReceiver(r, client)
              : new FileReceiver(r, config.outboxDir().resolve("tmp")));
    }
    return receivers;
  }

  /**
   * Parses a delivered answer. An unreadable answer fails a blocking hook; for a notification the
   * event was delivered all the same, so it is logged and counts as empty.
   */
  static HookResponse parse(Invocation invocation, byte[] body, String receiver, Logger log)
      throws HookFailure {
    try {
      return HookResponse.parse(body);
    } catch (IllegalArgumentException e) {
      if (invocation.type().blocking()) {
        throw new HookFailure(
            HookFailure.Kind.BAD_RESPONSE, receiver + " answered an unusable response: " + e.getMessage());
      }
      log.warn(
          "event=hook_response_ignored type={} receiver={} eventId={} error={}",
          invocation.type(), receiver, invocation.eventId(), e.getMessage());
      return HookResponse.EMPTY;
    }
  }
}
