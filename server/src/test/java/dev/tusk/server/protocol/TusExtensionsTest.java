package dev.tusk.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.Concatenator;
import dev.tusk.core.ErrorCode;
import dev.tusk.core.LengthDeferrer;
import dev.tusk.core.StoreCapabilities;
import dev.tusk.core.TusException;
import dev.tusk.store.fs.FsUploadStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TusExtensionsTest {
  @TempDir Path dir;

  private StoreCapabilities full() throws Exception {
    return StoreCapabilities.of(new FsUploadStore(dir, Clock.systemUTC()));
  }

  @Test
  void advertised_fullStore_listsEveryExtension() throws Exception {
    assertThat(TusExtensions.advertised(full()))
        .containsExactly("creation", "creation-with-upload", "creation-defer-length", "termination",
            "concatenation", "concatenation-unfinished", "checksum", "checksum-trailer", "expiration");
  }

  @Test
  void advertised_storeWithoutDeferralAndConcatenation_leavesThemOut() throws Exception {
    StoreCapabilities caps = full().without(LengthDeferrer.class).without(Concatenator.class);

    assertThat(TusExtensions.advertised(caps))
        .containsExactly("creation", "creation-with-upload", "termination", "checksum",
            "checksum-trailer", "expiration");
  }

  @ParameterizedTest(name = "Upload-Length {0}, Upload-Defer-Length {1}, Upload-Concat {2}, lacking {3}: refused {4}")
  @CsvSource(nullValues = "-", value = {
      "5, -, -, LengthDeferrer, false",
      "-, 1, -, LengthDeferrer, true",
      "-, 1, partial, LengthDeferrer, true",
      "-, 1, -, Concatenator, false",
      "5, -, partial, Concatenator, true",
      "-, -, final;/files/abcdefgh, Concatenator, true",
      "-, -, final;/files/abcdefgh, LengthDeferrer, false",
      "-, 1, partial, -, false",
  })
  void checkCreation_refusesOnlyWhatTheStoreLacks(
      String length, String defer, String concat, String lacking, boolean refused) throws Exception {
    CreationRequest creation = CreationRequest.parse(length, defer, null, concat, "/files/", 0);
    StoreCapabilities caps =
        lacking == null ? full() : full().without(Class.forName("dev.tusk.core." + lacking));

    if (refused) {
      assertThatThrownBy(() -> TusExtensions.checkCreation(creation, caps))
          .isInstanceOfSatisfying(TusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.EXTENSION_NOT_SUPPORTED);
            assertThat(e.status()).isEqualTo(400);
          });
    } else {
      TusExtensions.checkCreation(creation, caps);
    }
  }

  @Test
  void advertised_isImmutable() throws Exception {
    List<String> ext = TusExtensions.advertised(full());
    assertThatThrownBy(() -> ext.add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
