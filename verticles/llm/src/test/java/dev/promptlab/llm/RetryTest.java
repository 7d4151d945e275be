package dev.promptlab.llm;

import static dev.promptlab.llm.ChatClientHarness.KEY;
import static dev.promptlab.llm.ChatClientHarness.failure;
import static dev.promptlab.llm.ChatClientHarness.question;
import static dev.promptlab.testkit.FakeChatCompletions.completion;
import static dev.promptlab.testkit.FakeChatCompletions.error;
import static dev.promptlab.testkit.FakeChatCompletions.rateLimited;
import static dev.promptlab.testkit.FakeChatCompletions.rateLimitedMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.llm.ChatClientHarness.Retry;
import dev.promptlab.testkit.Await;
import dev.promptlab.testkit.BlockedThreadGuard;
import io.vertx.core.json.JsonObject;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which answers are tried again, how often, and after what wait. The waits are read from what the client asked
 * for (its observer), never from a clock.
 */
@ExtendWith(BlockedThreadGuard.class)
class RetryTest {

  private final ChatClientHarness harness = new ChatClientHarness(KEY);

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aRateLimitIsRetriedAfterTheRetryAfterSeconds() {
    harness.server.thenAnswer(rateLimited("1")).otherwise(completion("Lyon"));
    ChatResponse answer = Await.await(harness.client(new JsonObject()).chat(question()));
    assertEquals("Lyon", answer.content());
    assertEquals(2, answer.attempts());
    assertEquals(2, harness.server.received.size());
    assertEquals(1, harness.retries.size());
    Retry retry = harness.retries.get(0);
    assertEquals(1, retry.failedAttempt());
    assertEquals(1000, retry.retryAfterMs());
    assertEquals(1000, retry.delayMs(), "the server's wait, longer than the 1 ms back-off");
    assertTrue(retry.reason().startsWith("HTTP 429 (Rate limit reached"), retry.reason());
  }

  @Test
  void openAisRetryAfterMillisecondsIsReadFirst() {
    harness.server.thenAnswer(rateLimitedMillis(250)).otherwise(completion("Lyon"));
    Await.await(harness.client(new JsonObject()).chat(question()));
    assertEquals(List.of(250L), harness.retries.stream().map(Retry::delayMs).toList());
    assertEquals(250, harness.retries.get(0).retryAfterMs());
  }

  @Test
  void aRetryAfterDateIsAWaitUntilThen() {
    String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
    harness.server.thenAnswer(error(503, null, "overloaded", inTwoSeconds)).otherwise(completion("Lyon"));
    assertEquals(2, Await.await(harness.client(new JsonObject()).chat(question())).attempts());
    long asked = harness.retries.get(0).retryAfterMs();
    assertTrue(asked > 0 && asked <= 2000, "the date is at most 2 s ahead: " + asked);
    assertEquals(asked, harness.retries.get(0).delayMs());
  }

  @Test
  void theBackOffDoublesWithJitterWhenTheServerAsksForNoWait() {
    harness.server.otherwise(error(500, "server_error", "boom", null));
    ChatFailure failure = failure(harness.client(new JsonObject().put("max_attempts", 4).put("retry_backoff_ms", 40))
      .chat(question()));
    assertEquals(ChatFailure.Kind.SERVER_ERROR, failure.kind());
    assertEquals(4, failure.attempts());
    assertEquals(4, harness.server.received.size());
    assertEquals(3, harness.retries.size());
    for (int i = 0; i < 3; i++) {
      long full = 40L << i;
      long delay = harness.retries.get(i).delayMs();
      assertTrue(delay >= full / 2 && delay <= full, "retry " + (i + 1) + " waits between " + full / 2 + " and " + full
        + " ms, asked " + delay);
      assertEquals(-1, harness.retries.get(i).retryAfterMs());
    }
  }

  @Test
  void theBackOffNeverExceedsTheLongestWait() {
    harness.server.otherwise(error(502, null, "bad gateway", null));
    failure(harness.client(new JsonObject().put("max_attempts", 3).put("retry_backoff_ms", 400_000)
      .put("max_retry_delay_ms", 100)).chat(question()));
    harness.retries.forEach(r -> assertTrue(r.delayMs() >= 50 && r.delayMs() <= 100, r.toString()));
  }

  @Test
  void repeatedRateLimitsGiveUpAfterTheLastAttemptWithTheServersReason() {
    harness.server.otherwise(error(429, "rate_limit_exceeded", "Rate limit reached for test-model", "0"));
    ChatFailure failure = failure(harness.client(new JsonObject()).chat(question()));
    assertEquals(ChatFailure.Kind.RATE_LIMITED, failure.kind());
    assertEquals(429, failure.status());
    assertEquals(3, failure.attempts());
    assertEquals("the LLM failed after 3 attempts: HTTP 429 (Rate limit reached for test-model)",
      failure.getMessage());
    assertEquals(3, harness.server.received.size());
    assertEquals(List.of(failure), harness.failures);
  }

  @Test
  void aServerThatAsksForALongerWaitThanAllowedFailsAtOnce() {
    harness.server.otherwise(rateLimited("3600"));
    ChatFailure failure = failure(harness.client(new JsonObject().put("max_retry_delay_ms", 60_000)).chat(question()));
    assertEquals(ChatFailure.Kind.RATE_LIMITED, failure.kind());
    assertTrue(failure.transientFailure());
    assertEquals(1, harness.server.received.size(), "not asked again sooner than the server said");
    assertTrue(failure.getMessage().startsWith("the LLM asked to wait 3600000 ms before another attempt, more than"
      + " max_retry_delay_ms (60000): HTTP 429"), failure.getMessage());
    assertEquals(List.of(), harness.retries);
  }

  @Test
  void everyRetryableStatusIsRetriedAndEveryOtherIsNot() {
    for (int status : new int[] {408, 409, 429, 500, 502, 503, 504}) {
      harness.server.received.clear();
      harness.server.thenAnswer(error(status, null, "try again", null)).thenAnswer(completion("Lyon"));
      assertEquals(2, Await.await(harness.client(new JsonObject()).chat(question())).attempts(), "HTTP " + status);
      assertEquals(2, harness.server.received.size(), "HTTP " + status);
    }
    for (int status : new int[] {400, 401, 403, 404, 413, 422, 501}) {
      harness.server.received.clear();
      harness.server.thenAnswer(error(status, null, "no", null)).thenAnswer(completion("Lyon"));
      ChatFailure failure = failure(harness.client(new JsonObject()).chat(question()));
      assertEquals(status, failure.status());
      assertEquals(1, failure.attempts(), "HTTP " + status);
      assertEquals(1, harness.server.received.size(), "HTTP " + status + " is not retried");
      Await.await(harness.client(new JsonObject()).chat(question()));
    }
  }
}
