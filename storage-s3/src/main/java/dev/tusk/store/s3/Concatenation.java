package dev.tusk.store.s3;

import dev.tusk.core.UploadInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Fills a final upload from its partials' objects following a {@link ConcatPlan}: copied ranges
 * become parts through {@code UploadPartCopy} (no bytes pass through this process), streamed ranges
 * are read with ranged GETs and cut into parts by a {@link PartWriter}, exactly like an append.
 * Then the upload is completed. Thread-safe; blocks on S3 for the whole concatenation.
 *
 * <p>A crash midway leaves the final upload at offset 0 (its commit record is written only once
 * every part is uploaded); repeating the concatenation overwrites the parts.
 */
final class Concatenation {
  private static final Logger LOG = LoggerFactory.getLogger(Concatenation.class);

  private final StoreContext ctx;
  private final Completer completer;
  private final LongAdder copiedBytes = new LongAdder();
  private final LongAdder streamedBytes = new LongAdder();

  Concatenation(StoreContext ctx, Completer completer) {
    this.ctx = ctx;
    this.completer = completer;
  }

  UploadInfo concatenate(UploadInfo target, List<UploadInfo> partials) throws IOException {
    long total = partials.stream().mapToLong(p -> p.length().orElseThrow()).sum();
    if (target.length().isEmpty() || target.length().getAsLong() != total) {
      throw new IOException("final upload " + target.id() + " must have length " + total);
    }
    if (total == 0) {
      return completer.complete(target.id());
    }
    long partSize = ctx.partSize(target);
    List<ConcatPlan.Source> sources =
        partials.stream()
            .map(p -> new ConcatPlan.Source(ctx.layout().dataKey(p.id()), p.length().getAsLong()))
            .toList();
    ConcatPlan plan = ConcatPlan.of(sources, partSize);
    PartWriter.Target parts =
        new PartWriter.Target(
            ctx.layout().dataKey(target.id()), StoreContext.uploadId(target), 1, partSize);
    int count;
    try (PartWriter writer = ctx.uploader().open(parts, false)) {
      for (ConcatPlan.Step step : plan.steps()) {
        run(writer, step);
      }
      writer.cutPart();
      writer.drain();
      count = writer.nextPartNumber() - 1;
    }
    TailRecord all = new TailRecord(count, total, 0, ctx.clock().instant());
    ctx.tails().write(target.id(), all, RequestBody.empty());
    copiedBytes.add(plan.copiedBytes());
    streamedBytes.add(plan.streamedBytes());
    LOG.debug(
        "event=s3_concatenated id={} parts={} copied={} streamed={}",
        target.id(),
        count,
        plan.copiedBytes(),
        plan.streamedBytes());
    return completer.complete(target.id());
  }

  /** Bytes moved by {@code UploadPartCopy} so far. */
  long copiedBytes() {
    return copiedBytes.sum();
  }

  /** Bytes moved through this process so far. */
  long streamedBytes() {
    return streamedBytes.sum();
  }

  private void run(PartWriter writer, ConcatPlan.Step step) throws IOException {
    String key = step.source().key();
    if (step.copy()) {
      writer.copyPart(key, step.from(), step.length());
      return;
    }
    try (InputStream in = ctx.objects().getRange(key, step.from(), step.length())) {
      writer.writeFrom(in, step.length());
    }
  }
}
