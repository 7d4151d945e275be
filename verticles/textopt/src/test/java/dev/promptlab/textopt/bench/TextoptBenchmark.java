package dev.promptlab.textopt.bench;

import static dev.promptlab.testkit.Await.await;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.DatasetReport;
import dev.promptlab.contract.DatasetUpload;
import dev.promptlab.contract.RecordId;
import dev.promptlab.contract.TextPromptDraft;
import dev.promptlab.contract.TextPromptSaved;
import dev.promptlab.contract.TextRun;
import dev.promptlab.contract.TextRunCandidate;
import dev.promptlab.contract.TextRunCreated;
import dev.promptlab.contract.TextRunIteration;
import dev.promptlab.contract.TextoptModelCalled;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.textopt.TextoptVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The runs' benchmark (not a test): two task types against {@link SimulatedModels} on the real embedded PostgreSQL,
 * extraction scored by exact match and JSON output scored by a JSON Schema, and extraction again scored by the
 * simulated judge model on a rubric ({@code llm_judge}). Each task is run twice with the same
 * dataset and starting prompt: the first run reports its score per iteration, model calls, tokens and cache hits;
 * the second shows what the response cache saves (every call answered from it).
 *
 * <pre>mvn -B -ntp -q -pl verticles/textopt -am -Pbench verify -DskipTests [-Dbench.args="--rows 200"]</pre>
 */
public final class TextoptBenchmark {

  private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();

  private TextoptBenchmark() {
  }

  public static void main(String[] args) {
    int rows = args.length == 2 && args[0].equals("--rows") ? Integer.parseInt(args[1]) : 100;
    TestDatabase.reset();
    Vertx vertx = Vertx.vertx();
    try (FakeChatCompletions models = new FakeChatCompletions(null)) {
      models.otherwise(SimulatedModels.answer());
      JsonObject endpoint = new JsonObject().put("base_url", models.baseUrl()).put("max_concurrent", 8)
        // Prices of a small hosted model, so the cost column means something.
        .put("prices", new JsonObject().put("input_per_million_usd", 0.15).put("output_per_million_usd", 0.6));
      await(vertx.deployVerticle(new TextoptVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("db", TestDatabase.pgOptions()).put("step_retry_delay_ms", 0)
        .put("task_model", endpoint.copy().put("model", SimulatedModels.TASK))
        .put("optimizer_model", endpoint.copy().put("model", SimulatedModels.OPTIMIZER))
        .put("judge_model", endpoint.copy().put("model", SimulatedModels.JUDGE)))));
      vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_TEXTOPT_MODEL_CALLED, m -> {
        TextoptModelCalled call = TextoptModelCalled.fromJson(m.body());
        CALLS.computeIfAbsent(call.role() + (call.cached() ? " cached" : " asked"), k -> new LongAdder()).increment();
      });
      JsonObject schema = new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("name").add("age")).put("additionalProperties", false)
        .put("properties", new JsonObject().put("name", new JsonObject().put("type", "string"))
          .put("age", new JsonObject().put("type", "integer")));
      benchmark(vertx, "extraction (exact_match)", rows, SimulatedModels::extractionRow,
        "Find the city in the order.", "exact_match", new JsonObject());
      benchmark(vertx, "JSON output (json_schema)", rows, SimulatedModels::jsonRow, "Describe the person.",
        "json_schema", new JsonObject().put("json_schema", schema));
      benchmark(vertx, "extraction (llm_judge)", rows, SimulatedModels::extractionRow,
        "Find the city in the order.", "llm_judge", new JsonObject().put("rubric", SimulatedModels.RUBRIC)
          .put("scale", new JsonArray().add(1).add(5)));
    } finally {
      await(vertx.close());
    }
  }

  private static void benchmark(Vertx vertx, String title, int rows, IntFunction<JsonObject> row, String start,
                                String metric, JsonObject options) {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      file.append(row.apply(i).encode()).append('\n');
    }
    long dataset = DatasetReport.fromJson(request(vertx, Addresses.TEXTOPT_DATASET_CREATE, new DatasetUpload(title,
      "rows.jsonl", null, 0.5, Buffer.buffer(file.toString()), "bench").toJson())).dataset().id();
    long prompt = TextPromptSaved.fromJson(request(vertx, Addresses.TEXTOPT_PROMPT_CREATE,
      new TextPromptDraft(null, title, start, "", "bench").toJson())).id();
    System.out.printf(Locale.ROOT, "%n== %s: %d rows (%d held out), start: \"%s\"%n", title, rows, rows / 2, start);
    for (String pass : List.of("first run", "same run again")) {
      CALLS.clear();
      long began = System.nanoTime();
      long id = TextRunCreated.fromJson(request(vertx, Addresses.TEXTOPT_RUN_CREATE, new JsonObject()
        .put("dataset_id", dataset).put("prompt_id", prompt).put("target_metric", metric)
        .put("metric_options", options).put("target_threshold", 0.95).put("candidates_per_iteration", 2)
        .put("requested_by", "bench"))).id();
      TextRun run = Eventually.value("run " + id + " ends", () -> TextRun.fromJson(request(vertx,
        Addresses.TEXTOPT_RUN_SHOW, new RecordId(id, null).toJson())), r -> TextRun.FINAL.contains(r.status()));
      long ms = (System.nanoTime() - began) / 1_000_000;
      System.out.printf(Locale.ROOT, "-- %s: %s (%s) in %d ms%n", pass, run.status(), run.stopReason(), ms);
      if (pass.equals("first run")) {
        System.out.printf(Locale.ROOT, "%4s %8s %8s  %s%n", "iter", "version", metric, "candidates (version: score)");
        for (TextRunIteration it : run.iterations()) {
          StringBuilder candidates = new StringBuilder();
          for (TextRunCandidate c : it.candidates()) {
            candidates.append(String.format(Locale.ROOT, "v%d: %.3f%s  ", c.promptVersion(),
              c.metrics() == null ? Double.NaN : c.metrics().getDouble(metric), c.accepted() ? " kept" : ""));
          }
          System.out.printf(Locale.ROOT, "%4d %8s %8.3f  %s%n", it.n(), "v" + it.promptVersion(),
            it.metrics().getDouble(metric), candidates);
        }
        System.out.printf(Locale.ROOT, "best: v%d at %.3f%n", run.best().promptVersion(),
          run.best().metrics().getDouble(metric));
      }
      System.out.printf(Locale.ROOT, "calls: task %d asked + %d from the cache, optimizer %d asked + %d from the"
          + " cache, judge %d asked + %d from the cache; %d tokens, $%.6f%n", count("task asked"),
        count("task cached"), count("optimizer asked"), count("optimizer cached"), count("judge asked"),
        count("judge cached"), run.tokens(), run.costUsd());
    }
  }

  private static long count(String key) {
    LongAdder adder = CALLS.get(key);
    return adder == null ? 0 : adder.sum();
  }

  private static JsonObject request(Vertx vertx, String address, JsonObject body) {
    return (JsonObject) await(vertx.eventBus().request(address, body)).body();
  }
}
