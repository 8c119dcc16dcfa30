package dev.tusk.conformance.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tusk.conformance.s3.FaultProxy.Fault;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PATCH that completes an upload fails at a step of the completion because S3 answers that
 * step's request with 503 (every retry of it): before CompleteMultipartUpload, at the write of the
 * info that marks the upload complete (after S3 completed it), and after that write. Once S3 is
 * back the upload is complete, and downloads byte-exact.
 */
@EnabledIfSystemProperty(named = "tusk.store", matches = "s3")
class S3InterruptedCompletionIT {

  /** The S3 request that fails. */
  enum Step {
    COMPLETE_MULTIPART_UPLOAD {
      @Override
      boolean matches(String method, String path) {
        return method.equals("POST") && path.contains("uploadId=");
      }
    },
    INFO_WRITE {
      @Override
      boolean matches(String method, String path) {
        return method.equals("PUT") && path.contains(".info");
      }
    },
    PART_RECORD_DELETE {
      @Override
      boolean matches(String method, String path) {
        return method.equals("DELETE") && path.contains(".part");
      }
    };

    abstract boolean matches(String method, String path);
  }

  @RegisterExtension final S3Behind tusk = S3Behind.extension();

  @ParameterizedTest
  @EnumSource(Step.class)
  @DisplayName("A completion interrupted at any step ends complete and downloadable, byte-exact")
  void interruptedCompletion_endsComplete(Step step) throws Exception {
    byte[] data = new byte[200_000];
    new Random(step.ordinal()).nextBytes(data);
    HttpResponse<String> created = tusk.create(data.length);
    assertThat(created.statusCode()).isEqualTo(201);
    URI upload = tusk.location(created);

    tusk.proxy.plan((method, path) -> step.matches(method, path) ? Fault.ERROR_503 : Fault.NONE);
    HttpResponse<String> patch = tusk.patch(upload, 0, data, 0, data.length);
    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(503);
    assertThat(tusk.proxy.injected(Fault.ERROR_503)).isPositive();

    tusk.proxy.plan((method, path) -> Fault.NONE);
    HttpResponse<String> head = tusk.head(upload);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(data.length));
    HttpResponse<byte[]> download = tusk.get(upload);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(data);
  }
}
