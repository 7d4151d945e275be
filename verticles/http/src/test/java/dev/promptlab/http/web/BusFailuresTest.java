package dev.promptlab.http.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.promptlab.contract.FailureCodes;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusFailuresTest {

  private static ApiError map(ReplyException failure) {
    return (ApiError) BusFailures.toApiError("generation", failure);
  }

  @Test
  void everyFailureCodeHasItsStatus() {
    Map<Integer, Integer> expected = Map.of(
      FailureCodes.INVALID_REQUEST, 400, FailureCodes.NOT_FOUND, 404, FailureCodes.CONFLICT, 409,
      FailureCodes.UNSUPPORTED_MEDIA, 415, FailureCodes.TOO_LARGE, 413, FailureCodes.PROVIDER_FAILED, 502,
      FailureCodes.PROVIDER_UNAVAILABLE, 503, FailureCodes.STORAGE_FAILED, 503, FailureCodes.INTERNAL, 502,
      FailureCodes.BUSY, 503);
    expected.forEach((code, status) -> assertEquals(status,
      map(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, "why")).status(), "code " + code));
  }

  @Test
  void timeoutsAndMissingHandlers() {
    assertEquals(504, map(new ReplyException(ReplyFailure.TIMEOUT, "t")).status());
    assertEquals(503, map(new ReplyException(ReplyFailure.NO_HANDLERS, "n")).status());
  }

  @Test
  void internalDetailsStayInside() {
    ApiError error = map(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, FailureCodes.INTERNAL, "NPE at Foo.java:12"));
    assertEquals("generation failed to handle the request", error.getMessage());
  }

  @Test
  void otherFailuresPassThrough() {
    IllegalStateException other = new IllegalStateException("x");
    assertSame(other, BusFailures.toApiError("generation", other));
  }
}
