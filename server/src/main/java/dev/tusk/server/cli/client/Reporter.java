package dev.tusk.server.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a transfer shows: a live progress bar (bytes, rate, ETA) on an interactive terminal, plain
 * lines otherwise, one JSON object per file with {@code --json}, only the URL with {@code
 * --quiet}. Failures go to standard error, except in JSON where they are the file's object.
 * Transfers run one after another, so at most one bar is live.
 */
final class Reporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Standard output without the buffer System.out keeps until a newline: the bar has none. */
  private static final PrintStream UNBUFFERED =
      new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

  /** QUIET prints only the URL of what was done; SILENT nothing but failures. */
  enum Mode { BAR, PLAIN, JSON, QUIET, SILENT }

  private final Mode mode;
  private final PrintStream out;
  private final PrintWriter err;

  Reporter(Mode mode, PrintStream out, PrintWriter err) {
    this.mode = mode;
    this.out = out;
    this.err = err;
  }

  /** BAR when standard output is an interactive terminal (and TERM is not dumb), else PLAIN. */
  static Mode detect(boolean json, boolean quiet, Map<String, String> env) {
    if (json) {
      return Mode.JSON;
    }
    if (quiet) {
      return Mode.QUIET;
    }
    return interactive() && !"dumb".equals(env.get("TERM")) ? Mode.BAR : Mode.PLAIN;
  }

  private static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // from Java 22 on a console exists without a terminal; isTerminal() tells
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException beforeJava22) {
      return true;
    }
  }

  /** One file's transfer: {@code total} is -1 while unknown, {@code initial} the bytes resumed. */
  Transfer start(String name, long total, long initial) {
    if (mode == Mode.PLAIN && initial > 0) {
      out.println(name + "  resuming at " + initial + (total >= 0 ? " of " + total : "") + " bytes");
      out.flush();
    }
    ProgressBar bar = mode != Mode.BAR ? null : new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.UNICODE_BLOCK)
        .setUnit("MiB", 1 << 20)
        .showSpeed()
        .setUpdateIntervalMillis(250)
        .startsFrom(initial, Duration.ZERO)
        .continuousUpdate()
        .setConsumer(new ConsoleProgressBarConsumer(UNBUFFERED))
        .build();
    return new Transfer(name, bar);
  }

  /** A transfer that failed before it started: no bar, only its failure. */
  Transfer unstarted(String name) {
    return new Transfer(name, null);
  }

  final class Transfer {
    private final String name;
    private final ProgressBar bar;

    private Transfer(String name, ProgressBar bar) {
      this.name = name;
      this.bar = bar;
    }

    /** Bytes done so far (may go back after a retry that the server took fewer bytes of). */
    void progress(long done) {
      if (bar != null) {
        bar.stepTo(done);
      }
    }

    void length(long total) {
      if (bar != null) {
        bar.maxHint(total);
      }
    }

    void done(String url, long bytes) {
      close(bytes);
      switch (mode) {
        case JSON -> json(url, bytes, "done", null);
        case QUIET -> out.println(url);
        case SILENT -> { }
        default -> out.println(name + "  " + bytes + " bytes  " + url);
      }
      out.flush();
    }

    void failed(String url, long bytes, String reason) {
      close(bytes);
      if (mode == Mode.JSON) {
        json(url, bytes, "failed", reason);
        out.flush();
      } else {
        err.println("tusk: " + name + ": " + reason
            + (url == null ? "" : " (" + bytes + " bytes at " + url + "; run the same command to resume)"));
        err.flush();
      }
    }

    private void close(long bytes) {
      if (bar != null) {
        bar.stepTo(bytes);
        bar.close();
        UNBUFFERED.flush();
      }
    }

    private void json(String url, long bytes, String status, String error) {
      ObjectNode o = JSON.createObjectNode();
      o.put("file", name);
      o.put("url", url);
      o.put("bytes", bytes);
      o.put("status", status);
      if (error != null) {
        o.put("error", error);
      }
      out.println(o.toString());
    }
  }
}
