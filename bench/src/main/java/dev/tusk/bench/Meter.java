package dev.tusk.bench;

import java.util.Optional;

/**
 * Measures one phase: wall time, the server's CPU (from /proc/&lt;pid&gt;/stat) and the generator's
 * own CPU, and at the end the server's resident and peak memory (VmRSS, VmHWM).
 */
final class Meter {
  private final Target target;
  private final long startNanos;
  private final Optional<ProcStats> serverStart;
  private final ProcStats selfStart;
  private final double machineBusyStart;

  private Meter(Target target) {
    this.target = target;
    this.serverStart = ProcStats.of(target.pid());
    this.selfStart = ProcStats.self();
    this.machineBusyStart = machineBusySeconds();
    this.startNanos = System.nanoTime();
  }

  /** Loads what the first reading needs (clock ticks), so that no phase pays for it. */
  static void init() {
    ProcStats.self();
  }

  static Meter start(Target target) {
    return new Meter(target);
  }

  /** Seconds since start. */
  double elapsed() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Busy CPU seconds of the whole machine since boot (all of /proc/stat's cpu line but idle). */
  static double machineBusySeconds() {
    try {
      String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / ProcStats.ticksPerSecond();
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Puts seconds, server_cpu_s, client_cpu_s, server_rss_mib, server_peak_rss_mib and, when bytes
   * moved, the CPU per GB (10^9 bytes) of both. Returns the elapsed seconds.
   */
  double stop(Result result, long bytes) {
    double seconds = elapsed();
    ProcStats self = ProcStats.self();
    Optional<ProcStats> server = ProcStats.of(target.pid());
    result.put("seconds", seconds);
    double clientCpu = self.cpuSeconds() - selfStart.cpuSeconds();
    if (server.isPresent() && serverStart.isPresent()) {
      double serverCpu = server.get().cpuSeconds() - serverStart.get().cpuSeconds();
      result.put("server_cpu_s", serverCpu);
      if (bytes > 0) {
        result.put("server_cpu_s_per_gb", serverCpu / (bytes / 1e9));
      }
      result.put("server_rss_mib", server.get().rssMib());
      result.put("server_peak_rss_mib", server.get().peakRssMib());
    }
    result.put("client_cpu_s", clientCpu);
    double machine = machineBusySeconds() - machineBusyStart;
    double serverCpu = server.isPresent() && serverStart.isPresent() && target.pid()
        != ProcessHandle.current().pid()
        ? server.get().cpuSeconds() - serverStart.get().cpuSeconds() : 0;
    // CPU used by anything else on the machine meanwhile (other builds, the kernel's flushers):
    // a large value means the figures of this phase are disturbed.
    result.put("other_cpu_s", Math.max(0, machine - clientCpu - serverCpu));
    if (bytes > 0) {
      result.put("client_cpu_s_per_gb", clientCpu / (bytes / 1e9));
    }
    return seconds;
  }
}
