package dev.promptlab.evolution;

import static dev.promptlab.testkit.FakeChatCompletions.completion;
import static dev.promptlab.testkit.FakeChatCompletions.silence;
import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A normal stop while an evolution is in flight: the evolution finishes (or, past {@code stop_grace_ms}, is
 * recorded as interrupted) before the connections close, and nothing is logged as an error.
 */
@ExtendWith(BlockedThreadGuard.class)
class EvolutionStopTest {

  private static final String IMPROVED = "professional interior photograph, photorealistic, soft natural light,"
    + " " + TestPrompts.PRESERVED;

  @TempDir
  Path temp;
  private FakeChatCompletions llm;
  private EvolutionHarness harness;
  private final ErrorLines errors = new ErrorLines();

  /** Every log line at WARN or above, from any logger (Vert.x's own included). */
  private static final class ErrorLines extends AppenderBase<ILoggingEvent> {
    final List<ILoggingEvent> lines = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
        lines.add(event);
      }
    }

    List<String> errorsOrRejections() {
      return lines.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)
          || String.valueOf(e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getClassName())
            .contains("RejectedExecutionException")
          || e.getFormattedMessage().contains("RejectedExecutionException"))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName() + ": "
            + e.getThrowableProxy().getMessage()))
        .toList();
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @BeforeEach
  void start() {
    llm = new FakeChatCompletions("sk-test-0123456789abcdef");
    harness = new EvolutionHarness(temp);
    errors.start();
    root().addAppender(errors);
  }

  @AfterEach
  void stop() {
    root().detachAppender(errors);
    harness.close();
    llm.close();
  }

  private EvolutionHarness withOpenAi(long stopGraceMs) {
    return harness.with("stop_grace_ms", stopGraceMs).with("llm", new JsonObject().put("provider", "openai")
      .put("base_url", llm.baseUrl()).put("model", "test-model").put("api_key", "sk-test-0123456789abcdef")
      .put("timeout_ms", 60_000).put("max_attempts", 1));
  }

  private Future<Message<Object>> evolveInBackground() {
    return harness.vertx.eventBus().request(Addresses.EVOLUTION_EVOLVE, new JsonObject(),
      new DeliveryOptions().setSendTimeout(120_000));
  }

  private static String proposal() {
    return new JsonObject().put("improved_prompt", IMPROVED)
      .put("improved_negative_prompt", "drawn, sketch, cartoon, flat, montage, cgi")
      .put("changes", new JsonArray().add("replaced 'render' with 'photograph'"))
      .put("reasoning", "'render' invites a CGI look")
      .put("expected_improvement", "more photographic").encode();
  }

  @Test
  void anEvolutionInFlightFinishesBeforeTheVerticleStops() {
    // The model answers only once the stop has begun (the verticle refuses new evolutions as stopping).
    CompletableFuture<Void> stopBegan = new CompletableFuture<>();
    llm.otherwise((request, body) -> stopBegan.thenRun(() -> completion(proposal()).send(request, body)));
    withOpenAi(60_000).deploy();
    Future<Message<Object>> evolve = evolveInBackground();
    Eventually.until("the model was asked", () -> llm.received.size() == 1);

    Future<Void> undeployed = harness.undeployInBackground();
    Eventually.value("the verticle refuses evolutions because it is stopping",
      () -> harness.failure(Addresses.EVOLUTION_EVOLVE, new JsonObject(), FailureCodes.CONFLICT),
      message -> message.contains("stopping"));
    assertFalse(undeployed.isComplete(), "the stop waits for the evolution in flight");
    stopBegan.complete(null);
    await(undeployed);

    assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'succeeded'"
      + " AND candidate_version = 'v1.0.1'"), "the evolution in flight was carried out");
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'running'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE version = 'v1.0.1'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE candidate_version = 'v1.0.1'"
      + " AND status = 'running'"));
    assertTrue(Files.exists(harness.prompts.resolve("versions/v1.0.1.json")));
    Eventually.until("the evolve request is answered", evolve::isComplete);
    assertTrue(evolve.succeeded(), () -> String.valueOf(evolve.cause()));
    harness.close();
    assertEquals(List.of(), errors.errorsOrRejections());
  }

  @Test
  void anEvolutionStillRunningAfterTheGraceIsRecordedAsInterrupted() {
    llm.otherwise(silence());
    withOpenAi(200).deploy();
    Future<Message<Object>> evolve = evolveInBackground();
    Eventually.until("the model was asked", () -> llm.received.size() == 1);

    harness.undeploy();

    assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'failed'"
      + " AND reason = 'interrupted by a stop before its version was written'"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM evolutions WHERE status = 'running'"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE version = 'v1.0.1'"));
    assertFalse(Files.exists(harness.prompts.resolve("versions/v1.0.1.json")));
    Eventually.until("the evolve request is answered", evolve::isComplete);
    harness.close();
    assertEquals(List.of(), errors.errorsOrRejections());

    // The next start finds nothing to recover and can evolve at once.
    harness = harness.restart().deploy();
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions"));
  }
}
