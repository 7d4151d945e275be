package dev.promptlab.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BusFailureTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyFailureIsAnsweredWithItsCodeAndASentence() throws Exception {
    assertAnswer(BusFailure.conflict("already current"), FailureCodes.CONFLICT, "already current");
    assertAnswer(new IllegalArgumentException("limit must be positive"), FailureCodes.INVALID_REQUEST,
      "limit must be positive");
    assertAnswer(new ClassCastException("not a string"), FailureCodes.INVALID_REQUEST, "not a string");
    assertAnswer(new IllegalStateException("a bug with a secret detail"), FailureCodes.INTERNAL,
      "the test verticle failed unexpectedly");
    assertAnswer(new BusFailure(FailureCodes.STORAGE_FAILED, "key a/b.png") {
      @Override
      public String callerMessage() {
        return "image storage failed";
      }
    }, FailureCodes.STORAGE_FAILED, "image storage failed");
  }

  @Test
  void codesAreTakenFromTheFailure() {
    assertEquals(FailureCodes.NOT_FOUND, BusFailure.codeOf(BusFailure.notFound("no such thing")));
    assertEquals(FailureCodes.STORAGE_FAILED, BusFailure.codeOf(BusFailure.storage("down")));
    assertEquals(FailureCodes.INTERNAL, BusFailure.codeOf(BusFailure.internal("no current version")));
    assertEquals(FailureCodes.INVALID_REQUEST, BusFailure.codeOf(BusFailure.invalid("bad")));
    assertEquals(FailureCodes.INTERNAL, BusFailure.codeOf(new NullPointerException()));
  }

  private void assertAnswer(Throwable failure, int code, String sentence) throws Exception {
    String address = "test.bus-failure";
    var consumer = vertx.eventBus().consumer(address, message -> BusFailure.reply(message, failure, "test"));
    consumer.completion().await(10, TimeUnit.SECONDS);
    try {
      ReplyException reply = (ReplyException) vertx.eventBus().request(address, new JsonObject())
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
      assertEquals(code, reply.failureCode());
      assertEquals(sentence, reply.getMessage());
    } finally {
      consumer.unregister().await(10, TimeUnit.SECONDS);
    }
  }
}
