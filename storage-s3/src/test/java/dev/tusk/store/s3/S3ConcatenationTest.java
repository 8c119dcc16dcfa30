package dev.tusk.store.s3;

import static dev.tusk.store.s3.S3TestSupport.MIB;
import static dev.tusk.store.s3.S3TestSupport.append;
import static dev.tusk.store.s3.S3TestSupport.draft;
import static dev.tusk.store.s3.S3TestSupport.randomBytes;
import static dev.tusk.store.s3.S3TestSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.core.ConcatKind;
import dev.tusk.core.UploadInfo;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Concatenation through UploadPartCopy, through streaming, and both in one final upload. */
class S3ConcatenationTest extends S3StoreTestBase {

  @Test
  void concatenate_partialsOfAtLeast5MiB_copiesServerSide() throws Exception {
    Result r = concatenate(5 * MIB + 1, 6 * MIB, 100_000);
    assertThat(r.copied()).isEqualTo(r.total());
    assertThat(r.streamed()).isZero();
  }

  @Test
  void concatenate_smallPartials_fallsBackToStreaming() throws Exception {
    Result r = concatenate(MIB, 2 * MIB + 5, 3);
    assertThat(r.streamed()).isEqualTo(r.total());
    assertThat(r.copied()).isZero();
  }

  @Test
  void concatenate_smallThenLarge_streamsOnlyUntilAPartIsFull() throws Exception {
    Result r = concatenate(MIB, 12 * MIB, 2 * MIB);
    assertThat(r.streamed()).isEqualTo(5 * MIB);
    assertThat(r.copied()).isEqualTo(10 * MIB);
  }

  @Test
  void concatenate_emptyPartials_makeAnEmptyFinalUpload() throws Exception {
    Result r = concatenate(0, 0);
    assertThat(r.total()).isZero();
  }

  private record Result(long total, long copied, long streamed) {}

  private Result concatenate(int... sizes) throws Exception {
    S3UploadStore store = open(config());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    List<UploadInfo> partials = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      byte[] data = randomBytes(sizes[i], 100 + i);
      expected.write(data);
      UploadInfo info =
          store.create(
              draft(OptionalLong.of(data.length)).withConcat(ConcatKind.PARTIAL, List.of()));
      partials.add(data.length == 0 ? info : append(store, info, data, 0, data.length));
    }
    long total = expected.size();
    UploadInfo target =
        store.create(
            draft(OptionalLong.of(total))
                .withConcat(ConcatKind.FINAL, partials.stream().map(UploadInfo::id).toList()));
    long copiedBefore = store.concatenation().copiedBytes();
    long streamedBefore = store.concatenation().streamedBytes();

    UploadInfo done = store.concatenate(target, partials);

    assertThat(done.isComplete()).isTrue();
    store.dropCache();
    UploadInfo found = store.find(target.id()).orElseThrow();
    assertThat(found.offset()).isEqualTo(total);
    assertThat(read(store, found, 0, total)).isEqualTo(expected.toByteArray());
    return new Result(
        total,
        store.concatenation().copiedBytes() - copiedBefore,
        store.concatenation().streamedBytes() - streamedBefore);
  }
}
