package dev.tusk.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tusk.core.ErrorCode;
import dev.tusk.core.TusException;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.Test;

class TusHeadersTest {
  @Test
  void single_repeatedUploadLength_isInvalidUploadLength() {
    HttpServerExchange exchange = new HttpServerExchange(null);
    exchange.getRequestHeaders().add(TusHeaders.UPLOAD_LENGTH, "5");
    exchange.getRequestHeaders().add(TusHeaders.UPLOAD_LENGTH, "6");

    assertThatThrownBy(() -> TusHeaders.single(exchange, TusHeaders.UPLOAD_LENGTH))
        .isInstanceOfSatisfying(TusException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UPLOAD_LENGTH));
  }

  @Test
  void single_oneValue_isTrimmed_andAbsentIsNull() {
    HttpServerExchange exchange = new HttpServerExchange(null);
    exchange.getRequestHeaders().add(TusHeaders.TUS_RESUMABLE, " 1.0.0 ");

    assertThat(TusHeaders.single(exchange, TusHeaders.TUS_RESUMABLE)).isEqualTo("1.0.0");
    assertThat(TusHeaders.single(exchange, TusHeaders.UPLOAD_OFFSET)).isNull();
  }
}
