package dev.tusk.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark scenario against one running target. A scenario puts its metrics into the result
 * and throws when it cannot complete; it never starts or stops servers (the caller restarts the
 * server before every scenario). Implementations are stateless.
 */
interface Scenario {
  String name();

  /** One line for the report: what is sent and what is measured. */
  String summary();

  void run(Target target, Settings settings, Payload payload, Result result) throws Exception;

  /** Every scenario by name, in report order. */
  static Map<String, Scenario> all() {
    Map<String, Scenario> all = new LinkedHashMap<>();
    for (Scenario s :
        List.of(
            new BigScenario("big", false),
            new BigScenario("big8m", true),
            new SmallScenario("small"),
            new SmallScenario("smalldirty"),
            new HeadScenario("head", false),
            new HeadScenario("headmulti", true),
            new IdleScenario(),
            new DownloadScenario(),
            new S3Scenario(),
            new StoredScenario())) {
      all.put(s.name(), s);
    }
    return all;
  }
}
