package dev.tusk.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchingStdoutAppenderTest {
  private final PrintStream original = System.out;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void captureStdout() {
    context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider sets up
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStdout() {
    context.stop();
    System.setOut(original);
  }

  private Logger logger(int queueSize) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%logger %msg%n");
    encoder.start();
    BatchingStdoutAppender appender = new BatchingStdoutAppender();
    appender.setContext(context);
    appender.setName("test");
    appender.setEncoder(encoder);
    appender.setQueueSize(queueSize);
    appender.start();
    assertThat(appender.isStarted()).isTrue();
    Logger logger = context.getLogger("t");
    logger.setAdditive(false);
    logger.addAppender(appender);
    return logger;
  }

  private List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void everyLineOfManyThreads_arrivesWhole_inEachThreadsOrder_andStopWritesWhatIsQueued()
      throws Exception {
    Logger logger = logger(64); // far smaller than the load: loggers block, nothing is dropped
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread writer = new Thread(() -> {
        for (int i = 0; i < 5_000; i++) {
          logger.info("{}-{}", thread, i);
        }
      });
      writer.start();
      threads.add(writer);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    context.stop(); // drains the queue before returning

    List<String> lines = lines();
    assertThat(lines).hasSize(20_000).allMatch(l -> l.matches("t \\d-\\d+"));
    for (int t = 0; t < 4; t++) {
      String prefix = "t " + t + "-";
      List<Integer> seen = lines.stream().filter(l -> l.startsWith(prefix))
          .map(l -> Integer.parseInt(l.substring(prefix.length()))).toList();
      assertThat(seen).hasSize(5_000).isSorted();
    }
  }

  @Test
  void aLoneLine_isWrittenWithoutWaitingForMore() throws Exception {
    Logger logger = logger(16);
    logger.info("alone");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lines().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(lines()).containsExactly("t alone");
  }

  @Test
  void withoutAnEncoder_itDoesNotStart() {
    BatchingStdoutAppender appender = new BatchingStdoutAppender();
    appender.setContext(context);
    appender.start();
    assertThat(appender.isStarted()).isFalse();
  }
}
