package dev.tusk.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Median, minimum and maximum of one metric over the successful runs of one scenario and target. */
record Stats(double median, double min, double max, int runs) {

  static Optional<Stats> of(List<Result> results, String scenario, String target, String metric) {
    List<Double> values = new ArrayList<>();
    for (Result r : results) {
      if (r.ok() && r.scenario().equals(scenario) && r.target().equals(target)) {
        Object v = r.fields().get(metric);
        if (v instanceof Number n) {
          values.add(n.doubleValue());
        } else if (v instanceof Boolean b) {
          values.add(b ? 1.0 : 0.0);
        }
      }
    }
    if (values.isEmpty()) {
      return Optional.empty();
    }
    Collections.sort(values);
    int n = values.size();
    double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    return Optional.of(new Stats(median, values.get(0), values.get(n - 1), n));
  }

  static String format(double v) {
    double abs = Math.abs(v);
    if (abs >= 1000) {
      return String.format("%,.0f", v);
    }
    if (abs >= 100 || v == Math.rint(v)) {
      return String.format("%.0f", v);
    }
    if (abs >= 10) {
      return String.format("%.1f", v);
    }
    if (abs >= 1 || abs == 0) {
      return String.format("%.2f", v);
    }
    return String.format("%.3f", v);
  }

  /** "median [min–max]", or just the median for a single run or equal values. */
  String cell() {
    return runs == 1 || min == max
        ? format(median)
        : format(median) + " [" + format(min) + "–" + format(max) + "]";
  }
}
