package dev.tusk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine: CPU, memory, kernel, JDK, Node.js, the data dir's disk. */
final class MachineInfo {
  private MachineInfo() {}

  static Map<String, String> describe(String java, Path dataDir) {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
    info.put("CPU", grep("/proc/cpuinfo", "model name").orElse("?"));
    info.put("memory", grep("/proc/meminfo", "MemTotal")
        .map(kb -> String.format("%.1f GiB", Long.parseLong(kb.replaceAll("[^0-9]", "")) / 1048576.0))
        .orElse("?"));
    info.put("kernel", read("/proc/sys/kernel/osrelease").orElse("?"));
    info.put("load average at the start", read("/proc/loadavg").orElse("?"));
    info.put("open files limit (soft, hard; inherited by the servers)",
        grep("/proc/self/limits", "Max open files")
            .map(l -> l.replace("Max open files", "").replaceAll("\\s+", " ").trim())
            .orElse("?"));
    info.put("JDK (servers and generator)", command(java, "-version").orElse("?"));
    info.put("Node.js", command("node", "--version").orElse("?"));
    info.put("data dir", dataDir.toAbsolutePath().toString());
    info.put("data dir file system",
        command("findmnt", "-n", "-o", "SOURCE,FSTYPE,OPTIONS", "-T", dataDir.toString())
            .orElse("?"));
    info.put("data dir free space", command("df", "-h", "--output=size,avail", dataDir.toString())
        .map(s -> s.replaceAll("\\s+", " ").trim()).orElse("?"));
    return info;
  }

  /** First line of a command's output (stdout and stderr), if it ran. */
  static Optional<String> command(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return Optional.empty();
      }
      List<String> lines = out.lines().toList();
      return Optional.of(command[0].endsWith("df") ? String.join(" ", lines) : lines.get(0));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<String> grep(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)).trim());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
