package dev.promptlab.textopt;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.TextPrompt;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunCandidate;
import dev.promptlab.contract.TextRunChanged;
import dev.promptlab.contract.TextRunIteration;
import dev.promptlab.contract.TextRunPromoted;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import dev.promptlab.textopt.run.CandidateOrder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs of the optimisation loop on the real embedded PostgreSQL against a fake OpenAI-compatible server whose task
 * model follows the prompt it receives ({@link ScriptedModels}): a better prompt really scores better.
 */
@ExtendWith(BlockedThreadGuard.class)
class TextRunsTest {

  private Vertx vertx;
  private ScriptedModels models;
  private RunHarness harness;
  private final List<TextRunChanged> changes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    vertx = TestVertx.create();
    models = new ScriptedModels();
    harness = new RunHarness(vertx, models);
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_TEXTOPT_RUN_CHANGED,
      m -> changes.add(TextRunChanged.fromJson(m.body())));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
    models.close();
  }

  @Test
  void aRunThatReachesTheThresholdKeepsTheWinningCandidateAndPromotesIt() {
    models.optimizer(current -> ScriptedModels.proposal(5, 10));
    harness.deploy(harness.config());
    long dataset = harness.dataset(40);
    long prompt = harness.prompt("items", 1);
    long id = harness.start(RunHarness.run(dataset, prompt));

    TextRun run = harness.finished(id);
    assertEquals(TextRun.SUCCEEDED, run.status());
    assertEquals("threshold", run.stopReason());
    assertEquals(1, run.iterations().size());
    TextRunIteration first = run.iterations().get(0);
    assertEquals(1, first.promptVersion());
    assertTrue(first.metrics().getDouble("exact_match") < 0.5, first.metrics().encode());
    assertFalse(first.failures().isEmpty(), "the failures that drove the rewrite are kept");
    assertTrue(first.failures().stream().allMatch(f -> f.got().equals("no idea") && f.score() == 0.0));
    assertEquals(List.of(false, true), first.candidates().stream().map(TextRunCandidate::accepted).toList());
    assertTrue(first.candidates().stream().allMatch(TextRunCandidate::evaluated));
    assertEquals(3, run.best().promptVersion());
    assertEquals(1.0, run.best().metrics().getDouble("exact_match"));
    assertEquals(TextRun.SUCCEEDED, changes.get(changes.size() - 1).status());
    assertTrue(changes.stream().anyMatch(c -> c.transition() && TextRun.RUNNING.equals(c.status())));

    // The candidates are versions made by the optimizer from the incumbent, none of them current until promoted.
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM textopt_prompt_versions WHERE prompt_id = " + prompt
      + " AND origin = 'optimizer' AND parent_version = 1"));
    assertEquals(1, TextPrompt.fromJson(harness.request(Addresses.TEXTOPT_PROMPT_SHOW,
      new RecordId(prompt, null).toJson())).version());
    TextRunPromoted promoted = TextRunPromoted.fromJson(harness.request(Addresses.TEXTOPT_RUN_PROMOTE,
      new RecordId(id, "ana@example.com").toJson()));
    assertEquals(new TextRunPromoted(id, prompt, 3, 1), promoted);
    TextPrompt now = TextPrompt.fromJson(harness.request(Addresses.TEXTOPT_PROMPT_SHOW,
      new RecordId(prompt, null).toJson()));
    assertEquals(3, now.version());
    assertEquals(3, now.versions());
    harness.request(Addresses.TEXTOPT_PROMPT_DELETE, new RecordId(prompt, "ana@example.com").toJson());
    var deleted = harness.failure(Addresses.TEXTOPT_RUN_PROMOTE, new RecordId(id, null).toJson());
    assertEquals(1003, deleted.failureCode());
    assertTrue(deleted.getMessage().contains("was deleted"), deleted.getMessage());
    // A row is asked once per version and run: nothing was looked up in the cache again.
    assertEquals(0, TestDatabase.count("SELECT coalesce(sum(hits), 0) FROM textopt_llm_cache"));
  }

  @Test
  void aJsonTaskScoredByItsSchemaLearnsToAnswerInJson() {
    models.task(body -> FakeChatCompletions.completion(ScriptedModels.system(body).contains("JSON")
      ? new JsonObject().put("answer", ScriptedModels.user(body)).encode() : ScriptedModels.user(body)));
    models.optimizer(current -> new JsonObject().put("candidates", new JsonArray()
      .add(new JsonObject().put("system_prompt", "Reply with one JSON object {\"answer\": ...}.")
        .put("output_prompt", "").put("rationale", "the schema wants an object"))).encode());
    harness.deploy(harness.config());
    JsonObject schema = new JsonObject().put("type", "object").put("required", new JsonArray()
      .add("answer")).put("properties", new JsonObject().put("answer", new JsonObject().put("type", "string")));
    TextRun run = harness.finished(harness.start(RunHarness.run(harness.dataset(10), harness.prompt("json", 1))
      .put("target_metric", "json_schema").put("metric_options", new JsonObject().put("json_schema", schema))));
    assertEquals(TextRun.SUCCEEDED, run.status(), String.valueOf(run.error()));
    assertEquals(0.0, run.iterations().get(0).metrics().getDouble("json_schema"));
    assertEquals(1.0, run.best().metrics().getDouble("json_schema"));
    assertEquals(schema, run.settings().metricOptions().getJsonObject("json_schema"));
  }

  @Test
  void aRunWithoutProgressStopsOnPatience() {
    models.optimizer(current -> ScriptedModels.proposal(ScriptedModels.levelOf(current)));
    harness.deploy(harness.config());
    long id = harness.start(RunHarness.run(harness.dataset(20), harness.prompt("items", 2)).put("patience", 2)
      .put("candidates_per_iteration", 1));
    TextRun run = harness.finished(id);
    assertEquals(TextRun.STOPPED, run.status());
    assertEquals("patience", run.stopReason());
    assertEquals(2, run.iterations().size());
    assertEquals(1, run.best().promptVersion(), "the starting prompt stays the best");
  }

  @Test
  void aRunThatKeepsImprovingStopsAtMaxIterations() {
    models.optimizer(current -> ScriptedModels.proposal(ScriptedModels.levelOf(current) + 3));
    harness.deploy(harness.config());
    long id = harness.start(RunHarness.run(harness.dataset(100), harness.prompt("items", 1))
      .put("max_iterations", 2).put("candidates_per_iteration", 1));
    TextRun run = harness.finished(id);
    assertEquals(TextRun.STOPPED, run.status());
    assertEquals("max_iterations", run.stopReason());
    assertEquals(2, run.iterations().size());
    double before = run.iterations().get(0).metrics().getDouble("exact_match");
    double after = run.iterations().get(1).metrics().getDouble("exact_match");
    assertTrue(after > before, before + " then " + after);
    assertTrue(run.best().metrics().getDouble("exact_match") > after);
    assertEquals(3, run.best().promptVersion());
  }

  @Test
  void aRunStopsWhenItsBudgetIsSpent() {
    harness.deploy(harness.config().put("task_model", models.endpoint(ScriptedModels.TASK).put("max_concurrent", 1)
      .put("prices", new JsonObject().put("input_per_million_usd", 100_000))));
    long id = harness.start(RunHarness.run(harness.dataset(40), harness.prompt("items", 1)).put("budget_usd", 20));
    TextRun run = harness.finished(id);
    assertEquals(TextRun.STOPPED, run.status());
    assertEquals("budget", run.stopReason());
    assertTrue(run.costUsd() >= 20, "spent " + run.costUsd());
    assertTrue(models.requests(ScriptedModels.TASK).size() < 30, "it stopped asking once the budget was spent");
  }

  @Test
  void aCancelledRunStopsAskingAndFreesItsSlotForTheNextOne() {
    AtomicBoolean hold = new AtomicBoolean(true);
    models.task(body -> hold.get() ? models.fake.held(FakeChatCompletions.completion("no idea"))
      : FakeChatCompletions.completion(ScriptedModels.answerOf(ScriptedModels.system(body), ScriptedModels.user(body))));
    models.optimizer(current -> ScriptedModels.proposal(10));
    harness.deploy(harness.config());
    long dataset = harness.dataset(20);
    long first = harness.start(RunHarness.run(dataset, harness.prompt("first", 1)));
    long second = harness.start(RunHarness.run(dataset, harness.prompt("second", 2)));
    Eventually.until("the first run's calls are held", () -> models.fake.heldCount() == 2);
    assertEquals(TextRun.QUEUED, harness.show(second).status(), "one run at a time by default");
    var early = harness.failure(Addresses.TEXTOPT_RUN_PROMOTE, new RecordId(second, null).toJson());
    assertEquals(1003, early.failureCode());
    assertTrue(early.getMessage().contains("has no best version yet"), early.getMessage());

    TextRun cancelled = TextRun.fromJson(harness.request(Addresses.TEXTOPT_RUN_CANCEL,
      new RecordId(first, "ana@example.com").toJson()));
    assertEquals(TextRun.CANCELLED, cancelled.status());
    assertEquals("cancelled", cancelled.stopReason());
    hold.set(false);
    models.fake.releaseOne();
    models.fake.releaseOne();

    assertEquals(TextRun.SUCCEEDED, harness.finished(second).status());
    assertEquals(TextRun.CANCELLED, harness.show(first).status());
    assertEquals(2, models.requests(ScriptedModels.TASK).stream()
      .filter(body -> ScriptedModels.levelOf(ScriptedModels.system(body)) == 1).count(), "no call after the cancel");
    assertTrue(changes.stream().anyMatch(c -> c.id() == first && TextRun.CANCELLED.equals(c.status())
      && TextRun.RUNNING.equals(c.previousStatus())));
    assertEquals(1003, harness.failure(Addresses.TEXTOPT_RUN_CANCEL, new RecordId(first, null).toJson())
      .failureCode(), "a run that has ended cannot be cancelled");
  }

  @Test
  void aMalformedProposalIsShownBackToTheOptimizerWithTheReason() {
    AtomicInteger asked = new AtomicInteger();
    models.optimizer(current -> asked.incrementAndGet() == 1 ? "Sure! Try saying level=10." : ScriptedModels.proposal(10));
    harness.deploy(harness.config());
    TextRun run = harness.finished(harness.start(RunHarness.run(harness.dataset(20), harness.prompt("items", 1))));
    assertEquals(TextRun.SUCCEEDED, run.status());
    List<JsonObject> requests = models.requests(ScriptedModels.OPTIMIZER);
    assertEquals(2, requests.size());
    String retry = requests.get(1).getJsonArray("messages").getJsonObject(3).getString("content");
    assertTrue(retry.contains("refused") && retry.contains("not one JSON object"), retry);
    assertEquals("json_schema", requests.get(0).getJsonObject("response_format").getString("type"));
  }

  @Test
  void aRunFailsWhenEveryProposalIsRefused() {
    models.optimizer(current -> "I cannot help with that.");
    harness.deploy(harness.config());
    TextRun run = harness.finished(harness.start(RunHarness.run(harness.dataset(20), harness.prompt("items", 1))));
    assertEquals(TextRun.FAILED, run.status());
    assertEquals("error", run.stopReason());
    assertTrue(run.error().contains("refused 3 times"), run.error());
    assertEquals(3, models.requests(ScriptedModels.OPTIMIZER).size());
  }

  @Test
  void aRunFailsWhenTheTaskModelKeepsFailingAfterTheStepRetries() {
    models.task(body -> FakeChatCompletions.error(500, "server_error", "The server had an error.", null));
    harness.deploy(harness.config().put("step_attempts", 2)
      .put("task_model", models.endpoint(ScriptedModels.TASK).put("max_concurrent", 1)));
    TextRun run = harness.finished(harness.start(RunHarness.run(harness.dataset(20), harness.prompt("items", 1))));
    assertEquals(TextRun.FAILED, run.status());
    assertTrue(run.error().contains("the task model could not answer row"), run.error());
    assertEquals(2, models.requests(ScriptedModels.TASK).size(), "one call per step attempt");
  }

  @Test
  void aRunResumesWhereItStoppedWithoutAskingAnsweredRowsAgain() {
    AtomicInteger answered = new AtomicInteger();
    AtomicBoolean holding = new AtomicBoolean(true);
    models.task(body -> holding.get() && answered.incrementAndGet() > 5
      ? models.fake.held(FakeChatCompletions.completion("late"))
      : FakeChatCompletions.completion(ScriptedModels.answerOf(ScriptedModels.system(body), ScriptedModels.user(body))));
    models.optimizer(current -> ScriptedModels.proposal(10));
    harness.deploy(harness.config());
    long id = harness.start(RunHarness.run(harness.dataset(20), harness.prompt("items", 1)));
    Eventually.until("a call is held after five answers", () -> models.fake.heldCount() >= 1);
    Eventually.until("the five answers are stored",
      () -> TestDatabase.count("SELECT count(*) FROM textopt_answers WHERE run_id = " + id) == 5);

    harness.undeploy();
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM textopt_runs WHERE status = 'running' AND id = " + id),
      "a stopping verticle leaves its runs running");
    holding.set(false);
    harness.deploy(harness.config());

    TextRun run = harness.finished(id);
    assertEquals(TextRun.SUCCEEDED, run.status());
    List<JsonObject> asked = models.requests(ScriptedModels.TASK);
    Set<String> distinct = new HashSet<>();
    asked.forEach(body -> distinct.add(ScriptedModels.system(body) + "|" + ScriptedModels.user(body)));
    int held = asked.size() - distinct.size();
    assertTrue(held >= 1 && held <= 2, "only the calls in flight at the stop were asked twice: " + held);
    assertEquals(0, TestDatabase.count("SELECT coalesce(sum(hits), 0) FROM textopt_llm_cache"));
  }

  @Test
  void withTheMetaModelOnTheFirstWinningCandidateEndsTheEvaluation() {
    // A trivial ordering: the optimizer's last proposal first, with a made-up gain per place.
    CandidateOrder reversed = (context, candidates) -> {
      List<CandidateOrder.RankedCandidate> ranked = new ArrayList<>();
      for (int i = candidates.size() - 1; i >= 0; i--) {
        ranked.add(new CandidateOrder.RankedCandidate(candidates.get(i), 0.1 * (i + 1)));
      }
      return ranked;
    };
    models.optimizer(current -> ScriptedModels.proposal(4, 10));
    harness.deploy(harness.config().put("meta_model", true), reversed);
    TextRun run = harness.finished(harness.start(RunHarness.run(harness.dataset(20), harness.prompt("items", 1))));
    assertEquals(TextRun.SUCCEEDED, run.status());
    List<TextRunCandidate> candidates = run.iterations().get(0).candidates();
    assertEquals(2, candidates.size());
    TextRunCandidate winner = candidates.get(0);
    TextRunCandidate skipped = candidates.get(1);
    assertTrue(winner.evaluated() && winner.accepted());
    assertEquals(0.2, winner.predictedGain(), 1e-9);
    assertFalse(skipped.evaluated());
    assertNull(skipped.metrics());
    assertEquals(0.1, skipped.predictedGain(), 1e-9);
    assertTrue(models.requests(ScriptedModels.TASK).stream()
      .noneMatch(body -> ScriptedModels.levelOf(ScriptedModels.system(body)) == 4), "the losing candidate was never asked");
  }

  @Test
  void theMetaModelLearnsFromEvaluatedCandidatesToEvaluateTheFavouredOneFirst() {
    // Every proposal: first a rewrite that asks for reasoning and forgets the level (every answer wrong), then one
    // that raises the level by three. In proposal order the bad rewrite is evaluated first and loses; once the
    // history holds two evaluated candidates the meta-model puts the raise first and the bad one is not evaluated.
    models.optimizer(current -> new JsonObject().put("candidates", new JsonArray()
      .add(new JsonObject().put("system_prompt", "Answer the item. level=0 Think step by step and explain your"
        + " reasoning.").put("output_prompt", "").put("rationale", "reason first"))
      .add(new JsonObject().put("system_prompt", "Answer the item. level=" + (ScriptedModels.levelOf(current) + 3))
        .put("output_prompt", "Write the answer only.").put("rationale", "raise the level"))).encode());
    harness.deploy(harness.config().put("meta_model", true).put("meta_model_min_history", 2));
    TextRun run = harness.finished(harness.start(RunHarness.run(harness.dataset(20), harness.prompt("items", 1))
      .put("max_iterations", 3)));
    List<TextRunIteration> iterations = run.iterations();
    assertTrue(iterations.size() >= 2, "a second iteration ranks on the first one's candidates: " + run.toJson());

    List<TextRunCandidate> first = iterations.get(0).candidates();
    assertTrue(first.stream().allMatch(c -> c.predictedGain() == null), "no history, no prediction");
    assertTrue(first.get(0).evaluated() && !first.get(0).accepted(), "the bad rewrite is evaluated first and loses");
    assertTrue(first.get(1).evaluated() && first.get(1).accepted());

    for (TextRunIteration later : iterations.subList(1, iterations.size())) {
      TextRunCandidate favoured = later.candidates().get(0);
      TextRunCandidate skipped = later.candidates().get(1);
      assertTrue(favoured.evaluated() && favoured.accepted(), "iteration " + later.n() + ": the raise first");
      assertFalse(skipped.evaluated(), "iteration " + later.n() + ": the bad rewrite is not evaluated");
      assertTrue(favoured.predictedGain() > skipped.predictedGain(), later.toString());
    }
  }

  @Test
  void badRunRequestsAreRefusedWithTheirReason() {
    harness.deploy(harness.config());
    long dataset = harness.dataset(4);
    long prompt = harness.prompt("items", 1);
    assertEquals(1002, harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(99, prompt)).failureCode());
    assertEquals(1002, harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, 99)).failureCode());
    var unknown = harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, prompt)
      .put("target_metric", "accuracy"));
    assertEquals(1001, unknown.failureCode());
    assertTrue(unknown.getMessage().contains("unknown metric 'accuracy'"), unknown.getMessage());
    assertEquals(1001, harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, prompt)
      .put("target_metric", "json_schema")).failureCode());
    assertEquals(1001, harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, prompt)
      .put("metric_options", new JsonObject().put("schema", "{}"))).failureCode());
    assertEquals(1001, harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, prompt)
      .put("target_threshold", 1.5)).failureCode());
    assertEquals(1002, harness.failure(Addresses.TEXTOPT_RUN_SHOW, new RecordId(99, null).toJson()).failureCode());
    assertEquals(1002, harness.failure(Addresses.TEXTOPT_RUN_CANCEL, new RecordId(99, null).toJson()).failureCode());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM textopt_runs"));
  }

  @Test
  void withoutModelsARunIsRefusedNamingTheKeysToSet() {
    harness.deploy(new JsonObject().put("db", TestDatabase.pgOptions()));
    long dataset = harness.dataset(4);
    var refused = harness.failure(Addresses.TEXTOPT_RUN_CREATE, RunHarness.run(dataset, harness.prompt("items", 1)));
    assertEquals(2002, refused.failureCode());
    assertTrue(refused.getMessage().contains("textopt.task_model") && refused.getMessage().contains("key_env"),
      refused.getMessage());
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM textopt_runs"));
  }
}
