package dev.promptlab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class AwaitTest {

  @Test
  void returnsTheResult() {
    assertEquals("done", Await.await(Future.succeededFuture("done")));
  }

  @Test
  void throwsTheFailureItselfNotAWrapper() {
    ReplyException failure = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no such thing");
    assertSame(failure, assertThrows(ReplyException.class, () -> Await.await(Future.failedFuture(failure))));
  }

  @Test
  void failsTheTestWhenNoAnswerComesInTime() {
    AssertionError error = assertThrows(AssertionError.class, () -> Await.await(Promise.promise().future(), 1));
    assertTrue(error.getMessage().contains("1 s"), error.getMessage());
  }
}
