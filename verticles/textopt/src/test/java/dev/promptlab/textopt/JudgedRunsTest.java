package dev.promptlab.textopt;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextoptModelCalled;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs scored by {@code llm_judge} on the real embedded PostgreSQL, with a fake judge model that grades by the rubric
 * it is sent ({@link ScriptedModels#judgement}) and a task model that follows its prompt: a better prompt is judged
 * better.
 */
@ExtendWith(BlockedThreadGuard.class)
class JudgedRunsTest {

  private Vertx vertx;
  private ScriptedModels models;
  private RunHarness harness;
  private final List<TextoptModelCalled> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    vertx = TestVertx.create();
    models = new ScriptedModels();
    harness = new RunHarness(vertx, models);
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_TEXTOPT_MODEL_CALLED,
      m -> calls.add(TextoptModelCalled.fromJson(m.body())));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
    models.close();
  }

  private JsonObject config(JsonObject judgePrices) {
    return harness.config().put("judge_model", models.endpoint(ScriptedModels.JUDGE).put("prices", judgePrices));
  }

  private static JsonObject judged(long dataset, long prompt) {
    return RunHarness.run(dataset, prompt).put("target_metric", "llm_judge")
      .put("metric_options", new JsonObject().put("rubric", ScriptedModels.RUBRIC)
        .put("scale", new JsonArray().add(1).add(5)));
  }

  private List<JsonObject> judgeRequestsFor(String expected) {
    return models.requests(ScriptedModels.JUDGE).stream()
      .filter(body -> expected.equals(new JsonObject(ScriptedModels.user(body)).getString("expected"))).toList();
  }

  @Test
  void aRunJudgedByTheRubricReachesItsThresholdAndTheSameRunAgainCostsNothing() {
    models.optimizer(current -> ScriptedModels.proposal(5, 10));
    harness.deploy(config(new JsonObject().put("input_per_million_usd", 1)));
    long dataset = harness.dataset(20);
    long prompt = harness.prompt("items", 1);

    TextRun run = harness.finished(harness.start(judged(dataset, prompt)));
    assertEquals(TextRun.SUCCEEDED, run.status(), String.valueOf(run.error()));
    assertEquals("threshold", run.stopReason());
    assertTrue(run.iterations().get(0).metrics().getDouble("llm_judge") < 0.5, "one row in ten is right at level 1");
    assertEquals(1.0, run.best().metrics().getDouble("llm_judge"));
    int asked = models.requests(ScriptedModels.TASK).size();
    assertEquals(asked, calls.stream().filter(c -> c.role().equals(TextoptModelCalled.JUDGE)
      && c.outcome().equals(TextoptModelCalled.ANSWERED)).count(), "one judgement per answer");
    // A judgement depends on the row and the answer, not on the prompt that gave it: the same wrong answer of two
    // versions is judged once and the second comes from the cache.
    List<String> judgedFacts = models.requests(ScriptedModels.JUDGE).stream().map(ScriptedModels::user).toList();
    assertEquals(judgedFacts.size(), new HashSet<>(judgedFacts).size(), "no judgement was asked twice");
    assertTrue(judgedFacts.size() < asked, judgedFacts.size() + " judge calls for " + asked + " answers");
    assertEquals(asked - judgedFacts.size(), calls.stream().filter(c -> c.role().equals(TextoptModelCalled.JUDGE)
      && c.cached()).count());
    assertTrue(run.costUsd() > 0, "the judge's calls are priced and counted: " + run.costUsd());
    // The judge's reason is the row's explanation, which the optimizer model is shown with the failures.
    assertTrue(TestDatabase.count("SELECT count(*) FROM textopt_answers WHERE explanation = 'It does not state"
      + " answer 5.'") >= 1);
    assertTrue(run.iterations().get(0).failures().stream()
      .allMatch(f -> f.explanation().equals("It does not state " + f.expected() + ".")), "shown with the failures");
    String optimizerFacts = ScriptedModels.user(models.requests(ScriptedModels.OPTIMIZER).get(0));
    assertTrue(optimizerFacts.contains("\"why\" : \"It does not state answer"), optimizerFacts);

    int received = models.fake.received.size();
    calls.clear();
    TextRun again = harness.finished(harness.start(judged(dataset, prompt)));
    assertEquals(TextRun.SUCCEEDED, again.status());
    assertEquals(run.best().metrics(), again.best().metrics());
    assertEquals(0.0, again.costUsd());
    assertEquals(0, again.tokens());
    assertEquals(received, models.fake.received.size(), "every call of the second run came from the cache");
    assertTrue(calls.stream().anyMatch(c -> c.role().equals(TextoptModelCalled.JUDGE)));
    assertTrue(calls.stream().allMatch(TextoptModelCalled::cached));
  }

  @Test
  void theBudgetCountsTheJudgesCalls() {
    // The task model is free: whatever the run spends, the judge spent.
    harness.deploy(config(new JsonObject().put("input_per_million_usd", 100_000))
      .put("task_model", models.endpoint(ScriptedModels.TASK).put("max_concurrent", 1)));
    TextRun run = harness.finished(harness.start(judged(harness.dataset(40), harness.prompt("items", 1))
      .put("budget_usd", 100)));
    assertEquals(TextRun.STOPPED, run.status());
    assertEquals("budget", run.stopReason());
    assertTrue(run.costUsd() >= 100, "spent " + run.costUsd());
    assertTrue(run.tokens() > 0);
    assertTrue(models.requests(ScriptedModels.JUDGE).size() < 20, "it stopped judging once the budget was spent");
  }

  @Test
  void aMalformedVerdictIsAskedAgainAndARowWithoutOneScoresZeroWithTheReason() {
    AtomicBoolean firstForRowFour = new AtomicBoolean(true);
    models.judge(body -> {
      JsonObject facts = new JsonObject(ScriptedModels.user(body));
      if (facts.getString("expected").equals("answer 3")) {
        return FakeChatCompletions.completion("I would give it a five.");
      }
      if (facts.getString("expected").equals("answer 4") && firstForRowFour.getAndSet(false)) {
        return FakeChatCompletions.completion("{\"score\": 9, \"reason\": \"superb\"}");
      }
      return FakeChatCompletions.completion(ScriptedModels.judgement(facts));
    });
    models.optimizer(current -> ScriptedModels.proposal(10));
    harness.deploy(config(new JsonObject()));
    TextRun run = harness.finished(harness.start(judged(harness.dataset(20), harness.prompt("items", 1))
      .put("target_threshold", 0.8)));
    assertEquals(TextRun.SUCCEEDED, run.status(), "one row without a judgement does not fail the run: "
      + run.error());

    List<JsonObject> rowFour = judgeRequestsFor("answer 4");
    assertTrue(rowFour.size() >= 2, "refused once, then asked again");
    String retry = rowFour.get(1).getJsonArray("messages").getJsonObject(3).getString("content");
    assertTrue(retry.contains("refused: score 9 is off the scale 1 to 5"), retry);
    assertEquals("{\"score\": 9, \"reason\": \"superb\"}", rowFour.get(1).getJsonArray("messages").getJsonObject(2)
      .getString("content"), "the refused answer is shown back");
    // Row 3 is answered by every version that answers its split; each answer is judged three times, in vain.
    int rowThree = judgeRequestsFor("answer 3").size();
    assertTrue(rowThree >= 3 && rowThree % 3 == 0, "three judge answers per task answer: " + rowThree);
    assertEquals(rowThree / 3, TestDatabase.count("SELECT count(*) FROM textopt_answers WHERE score = 0 AND"
      + " explanation = 'no judgement: the judge model''s answer was refused 3 times; last: it is not one JSON"
      + " object'"));
    assertEquals(1 + rowThree, calls.stream().filter(c -> c.role().equals(TextoptModelCalled.JUDGE)
      && c.outcome().equals(TextoptModelCalled.REFUSED)).count());
  }

  @Test
  void aRunFailsWhenNoRowCanBeJudged() {
    models.judge(body -> FakeChatCompletions.completion("Looks fine to me."));
    harness.deploy(config(new JsonObject()));
    TextRun run = harness.finished(harness.start(judged(harness.dataset(20), harness.prompt("items", 1))));
    assertEquals(TextRun.FAILED, run.status());
    assertEquals("error", run.stopReason());
    assertTrue(run.error().contains("the judge model gave no usable judgement for any of the 10 evaluation rows")
      && run.error().contains("refused 3 times"), run.error());
    assertEquals(20, models.requests(ScriptedModels.TASK).size(), "the step is not tried again");
    assertEquals(3 * 20, models.requests(ScriptedModels.JUDGE).size());
    assertTrue(models.requests(ScriptedModels.OPTIMIZER).isEmpty());
  }

  @Test
  void aJudgedRunResumedWithoutAJudgeModelFailsSayingSo() {
    models.task(body -> models.fake.held(FakeChatCompletions.completion("held")));
    harness.deploy(config(new JsonObject()));
    long id = harness.start(judged(harness.dataset(20), harness.prompt("items", 1)));
    Eventually.until("the run is asking", () -> models.fake.heldCount() >= 1);
    harness.undeploy();

    harness.deploy(harness.config());
    TextRun run = harness.finished(id);
    assertEquals(TextRun.FAILED, run.status());
    assertTrue(run.error().startsWith("the run could not start: no judge model is configured")
      && run.error().contains("textopt.judge_model"), run.error());
    assertTrue(models.requests(ScriptedModels.JUDGE).isEmpty());
  }

  @Test
  void aJudgedRunNeedsARubricAndAJudgeModel() {
    harness.deploy(harness.config());
    long dataset = harness.dataset(4);
    long prompt = harness.prompt("items", 1);
    var noRubric = harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, prompt)
      .put("target_metric", "llm_judge"));
    assertEquals(1001, noRubric.failureCode());
    assertTrue(noRubric.getMessage().contains("metric_options.rubric is required"), noRubric.getMessage());
    assertEquals(1001, harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, prompt)
      .put("target_metric", "llm_judge").put("metric_options", new JsonObject().put("rubric", "  ")))
      .failureCode());
    var noJudge = harness.failure(Addresses.TEXTOPT_RUN_CREATE, judged(dataset, prompt));
    assertEquals(2002, noJudge.failureCode());
    assertTrue(noJudge.getMessage().contains("textopt.judge_model"), noJudge.getMessage());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM textopt_runs"));
  }
}
