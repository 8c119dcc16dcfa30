package dev.tusk.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The readable end-of-run summary: each scenario's main metric per target, median [min–max]. */
final class Summary {
  private Summary() {}

  static String text(List<Result> results) {
    Set<String> scenarios = new LinkedHashSet<>();
    Set<String> targets = new LinkedHashSet<>();
    for (Result r : results) {
      if (!r.scenario().equals("*")) {
        scenarios.add(r.scenario());
        targets.add(r.target());
      }
    }
    StringBuilder sb = new StringBuilder("\n== summary (median [min–max] over runs) ==\n");
    for (String s : scenarios) {
      List<Metric> metrics = Metric.BY_SCENARIO.get(s);
      if (metrics == null) {
        continue;
      }
      for (Metric m : metrics.subList(0, Math.min(3, metrics.size()))) {
        sb.append(String.format("%-11s %-40s", s, m.label()));
        for (String t : targets) {
          Stats.of(results, s, t, m.key())
              .ifPresent(st -> sb.append(String.format("  %s %s", t, st.cell())));
        }
        sb.append('\n');
      }
    }
    for (Result r : results) {
      if (!r.ok()) {
        sb.append("not ok: ").append(r.scenario()).append(' ').append(r.target()).append(" run ")
            .append(r.fields().get("run")).append(": ").append(r.fields().get("error"))
            .append('\n');
      }
    }
    return sb.toString();
  }
}
