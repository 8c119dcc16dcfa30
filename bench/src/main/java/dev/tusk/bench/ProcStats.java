package dev.tusk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One reading of a process from /proc: CPU time (utime + stime) and resident memory now (VmRSS) and
 * at its peak (VmHWM). Linux only; absent when the process is gone or unknown.
 */
record ProcStats(double cpuSeconds, long rssKib, long peakRssKib) {
  private static final double TICKS_PER_SECOND = clockTicks();

  static Optional<ProcStats> of(long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is field 3, utime field 14, stime field 15
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      long rss = 0;
      long hwm = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        }
      }
      return Optional.of(new ProcStats(ticks / TICKS_PER_SECOND, rss, hwm));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static ProcStats self() {
    return of(ProcessHandle.current().pid()).orElse(new ProcStats(0, 0, 0));
  }

  static double ticksPerSecond() {
    return TICKS_PER_SECOND;
  }

  double rssMib() {
    return rssKib / 1024.0;
  }

  double peakRssMib() {
    return peakRssKib / 1024.0;
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Double.parseDouble(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
