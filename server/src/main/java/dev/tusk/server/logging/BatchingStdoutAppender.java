package dev.tusk.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * tusk's log appender: request threads only queue events; one thread encodes whatever has queued
 * up and writes it to standard output in one {@code write}.
 *
 * <p>Replaces logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}, which wrote
 * every line with a system call of its own (standard output is an autoflushing {@code PrintStream}):
 * in the {@code head} benchmark (64 connections, one line per request) the writing thread took 1,734
 * CPU samples beside the I/O threads' 8,656, 617 of them in {@code write}, and the same server at
 * log level WARN answered 17,400–18,000 HEADs/s instead of 8,700–13,200. The lines and their
 * format are the encoder's, as before.
 *
 * <p>Like the appender it replaces, it never drops an event: a full queue blocks the logging
 * thread. {@link #stop()} (logback's context stop, {@link LogSetup#flush()}) writes out what is
 * queued, waiting at most {@value #MAX_FLUSH_MILLIS} ms. Standard output is looked up on every
 * write, so a redirected {@code System.out} receives the lines.
 */
public final class BatchingStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private static final int MAX_BATCH = 1024;
  /**
   * How long the writer lets lines gather after a write. Without it the writer kept up with 10,000
   * lines per second one line at a time (a wake-up and a {@code write} each); with it a line waits
   * at most this long, and a busy server writes a batch of a hundred lines with one call.
   */
  private static final long LINGER_MILLIS = 10;
  private static final long MAX_FLUSH_MILLIS = 2_000;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 16_384;
  private BlockingQueue<ILoggingEvent> queue;
  private Thread writer;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder set for the appender named \"" + name + "\"");
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1, not " + queueSize);
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    // not from NamedThreads, whose handler logs: this thread is where logging goes
    writer = new Thread(this::drainLoop, "tusk-log-" + name);
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing(); // thread name, MDC, message: captured on this thread
    try {
      queue.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller is shutting down; its line is lost
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop(); // append() is no longer called (doAppend checks started)
    writer.interrupt();
    try {
      writer.join(MAX_FLUSH_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      addWarn("log writer still busy after " + MAX_FLUSH_MILLIS + " ms; " + queue.size() + " events lost");
    }
  }

  private void drainLoop() {
    List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    boolean stopping = false;
    while (true) {
      try {
        if (!stopping) {
          batch.add(queue.take());
        }
      } catch (InterruptedException e) {
        stopping = true; // write out what is queued, then end
      }
      queue.drainTo(batch, MAX_BATCH - batch.size());
      if (batch.isEmpty()) {
        if (stopping) {
          return;
        }
        continue;
      }
      for (ILoggingEvent event : batch) {
        try {
          byte[] line = encoder.encode(event);
          if (line != null) {
            buffer.writeBytes(line);
          }
        } catch (RuntimeException e) {
          addError("cannot encode a log event", e);
        }
      }
      boolean full = batch.size() == MAX_BATCH;
      batch.clear();
      write(buffer);
      if (buffer.size() > 1 << 20) {
        buffer = new ByteArrayOutputStream(64 * 1024); // one huge batch does not pin its buffer
      } else {
        buffer.reset();
      }
      if (!full && !stopping) {
        try {
          Thread.sleep(LINGER_MILLIS);
        } catch (InterruptedException e) {
          stopping = true;
        }
      }
    }
  }

  private void write(ByteArrayOutputStream buffer) {
    PrintStream out = System.out;
    try {
      buffer.writeTo(out);
    } catch (IOException e) {
      addError("cannot write to standard output", e);
    }
    out.flush();
  }
}
