package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static dev.promptlab.launcher.RunningServer.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Text-prompt optimisation runs through the whole server (launcher, http, textopt, metrics, the real embedded
 * PostgreSQL), with the task, optimizer and judge models on a fake OpenAI-compatible server configured through the
 * environment as an operator would: a run improves a prompt and is promoted, a run scored by the judge model on a
 * rubric improves one too, every refusal of {@code /api/v1/runs} has its status and the project's error shape, and
 * {@code /metrics} counts the runs and their calls.
 */
@ExtendWith(BlockedThreadGuard.class)
class TextRunsOverHttpTest {

  private static FakeChatCompletions models;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    TestDatabase.reset();
    // No key: the verticle reads key_env's variable from the process environment, which a test cannot set (the
    // llm module's tests hold key_env to that); a local server without a key is configured exactly like this.
    models = new FakeChatCompletions(null);
    // The task model answers right only when its prompt says "exactly"; the optimizer proposes that prompt.
    models.otherwise((request, body) -> {
      JsonArray messages = body.getJsonArray("messages");
      String content;
      if ("judge-model".equals(body.getString("model"))) {
        // Grades by the rubric it is sent: the capital's name alone is right.
        JsonObject facts = new JsonObject(messages.getJsonObject(1).getString("content"));
        boolean alone = RUBRIC.equals(facts.getString("rubric"))
          && facts.getString("answer").equals(facts.getString("expected"));
        content = new JsonObject().put("score", alone ? 5 : 1).put("reason", alone ? "The capital alone."
          : "Not the capital's name alone.").encode();
      } else if ("optimizer-model".equals(body.getString("model"))) {
        content = new JsonObject().put("candidates", new JsonArray().add(new JsonObject()
          .put("system_prompt", "Give exactly the capital.").put("output_prompt", "").put("rationale", "precise")))
          .encode();
      } else {
        String system = messages.getJsonObject(0).getString("content");
        String input = messages.getJsonObject(1).getString("content");
        content = system.contains("exactly") ? CAPITALS.get(input) : "I think it is " + CAPITALS.get(input);
      }
      FakeChatCompletions.completion(content).send(request, body);
    });
    JsonObject task = new JsonObject().put("base_url", models.baseUrl()).put("model", "task-model")
      .put("max_attempts", 1);
    server = RunningServer.startOnTestDatabase(Map.of(
      "PROMPTLAB__TEXTOPT__TASK_MODEL", task.encode(),
      "PROMPTLAB__TEXTOPT__OPTIMIZER_MODEL", task.copy().put("model", "optimizer-model").encode(),
      "PROMPTLAB__TEXTOPT__JUDGE_MODEL", task.copy().put("model", "judge-model").encode(),
      "PROMPTLAB__TEXTOPT__STEP_RETRY_DELAY_MS", "0"));
  }

  private static final String RUBRIC = "The answer is the capital's name and nothing else.";

  private static final Map<String, String> CAPITALS = Map.of("France", "Paris", "Peru", "Lima", "Japan", "Tokyo",
    "Kenya", "Nairobi", "Spain", "Madrid", "Chile", "Santiago");

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (models != null) {
      models.close();
    }
  }

  @Test
  void aRunImprovesThePromptAndItsBestVersionIsPromoted() {
    long dataset = dataset();
    long prompt = ok(server.send(HttpMethod.POST, "/api/v1/prompts", new JsonObject().put("name", "capitals")
      .put("system_prompt", "Name the capital.").put("output_prompt", ""))).getLong("id");
    HttpResponse<Buffer> created = server.send(HttpMethod.POST, "/api/v1/runs",
      new JsonObject().put("dataset_id", dataset)
      .put("prompt_id", prompt).put("target_metric", "exact_match").put("max_iterations", 3));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");
    assertEquals("/api/v1/runs/" + id, created.getHeader("location"));
    assertEquals("queued", created.bodyAsJsonObject().getString("status"));

    JsonObject run = Eventually.value("the run ends", () -> server.json("/api/v1/runs/" + id),
      r -> !r.getString("status").equals("queued") && !r.getString("status").equals("running"));
    assertEquals("succeeded", run.getString("status"), run.encodePrettily());
    assertEquals("threshold", run.getString("stop_reason"));
    assertEquals(2, run.getJsonObject("best").getInteger("prompt_version"));
    assertEquals(1.0, run.getJsonObject("best").getJsonObject("metrics").getDouble("exact_match"));
    JsonObject first = run.getJsonArray("iterations").getJsonObject(0);
    assertEquals(0.0, first.getJsonObject("metrics").getDouble("exact_match"));
    assertTrue(first.getJsonArray("failures").getJsonObject(0).getString("got").startsWith("I think it is"));
    assertEquals("admin-token", run.getString("created_by"), "the caller owns the run");

    JsonObject listed = server.json("/api/v1/runs").getJsonArray("runs").getJsonObject(0);
    assertEquals(id, listed.getLong("id"));
    assertEquals(new JsonArray(), listed.getJsonArray("iterations"), "lists leave the iterations out");

    JsonObject promoted = ok(server.send(HttpMethod.POST, "/api/v1/runs/" + id + "/promote", null));
    assertEquals(new JsonObject().put("run_id", id).put("prompt_id", prompt).put("version", 2)
      .put("previous_version", 1), promoted);
    assertEquals(2, server.json("/api/v1/prompts/" + prompt).getInteger("version"));
    refused(409, "has already ended (succeeded)", server.send(HttpMethod.POST, "/api/v1/runs/" + id + "/cancel", null));

    String metrics = await(server.get("/metrics").send()).bodyAsString();
    assertTrue(counted(metrics, "promptlab_textopt_runs_total{status=\"succeeded\"}"), metrics);
    assertTrue(counted(metrics, "promptlab_textopt_model_calls_total{outcome=\"answered\",role=\"optimizer\"}"),
      metrics);
  }

  @Test
  void aRunJudgedOnARubricImprovesThePrompt() {
    long dataset = dataset();
    long prompt = ok(server.send(HttpMethod.POST, "/api/v1/prompts", new JsonObject().put("name", "judged capitals")
      .put("system_prompt", "Name the capital.").put("output_prompt", ""))).getLong("id");
    HttpResponse<Buffer> created = server.send(HttpMethod.POST, "/api/v1/runs",
      new JsonObject().put("dataset_id", dataset)
      .put("prompt_id", prompt).put("target_metric", "llm_judge").put("metric_options", new JsonObject()
        .put("rubric", RUBRIC).put("scale", new JsonArray().add(1).add(5))).put("max_iterations", 3));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    long id = created.bodyAsJsonObject().getLong("id");

    JsonObject run = Eventually.value("the run ends", () -> server.json("/api/v1/runs/" + id),
      r -> !r.getString("status").equals("queued") && !r.getString("status").equals("running"));
    assertEquals("succeeded", run.getString("status"), run.encodePrettily());
    assertEquals(1.0, run.getJsonObject("best").getJsonObject("metrics").getDouble("llm_judge"));
    JsonObject first = run.getJsonArray("iterations").getJsonObject(0);
    assertEquals(0.0, first.getJsonObject("metrics").getDouble("llm_judge"));
    assertEquals("Not the capital's name alone.", first.getJsonArray("failures").getJsonObject(0)
      .getString("explanation"), "the judge's reason is shown with the failures");
    assertEquals(RUBRIC, run.getJsonObject("metric_options").getString("rubric"));

    String metrics = await(server.get("/metrics").send()).bodyAsString();
    assertTrue(counted(metrics, "promptlab_textopt_model_calls_total{outcome=\"answered\",role=\"judge\"}"),
      metrics);
  }

  /** True when the series is in the scrape with a count above 0 (the tests share one server, in any order). */
  private static boolean counted(String scrape, String series) {
    return scrape.lines().filter(line -> line.startsWith(series + " "))
      .anyMatch(line -> Double.parseDouble(line.substring(series.length() + 1)) > 0);
  }

  @Test
  void badRunRequestsAreRefusedWithTheirReason() {
    long dataset = dataset();
    long prompt = ok(server.send(HttpMethod.POST, "/api/v1/prompts", new JsonObject().put("name", "refusals")
      .put("system_prompt", "Name the capital.").put("output_prompt", ""))).getLong("id");
    JsonObject good = new JsonObject().put("dataset_id", dataset).put("prompt_id", prompt)
      .put("target_metric", "exact_match");
    refused(400, "dataset_id is required", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("dataset_id", null)));
    refused(400, "target_metric is required", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("target_metric", null)));
    refused(400, "unknown metric 'accuracy'", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("target_metric", "accuracy")));
    refused(400, "the json_schema metric needs a JSON Schema", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("target_metric", "json_schema")));
    refused(400, "metric_options.rubric is required for llm_judge", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("target_metric", "llm_judge")));
    refused(400, "metric_options.scale must be two whole numbers", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("target_metric", "llm_judge").put("metric_options", new JsonObject().put("rubric", RUBRIC)
        .put("scale", "1-5"))));
    refused(400, "target_threshold must be a number from 0 to 1", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("target_threshold", 1.2)));
    refused(400, "budget_usd must be a number of dollars above 0", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("budget_usd", 0)));
    refused(400, "patience must be a whole number from 1 to 100", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("patience", 0)));
    refused(400, "candidates_per_iteration must be a whole number from 1 to 10", server.send(HttpMethod.POST,
      "/api/v1/runs", good.copy().put("candidates_per_iteration", 50)));
    refused(404, "no dataset 999999", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("dataset_id", 999999)));
    refused(404, "no text prompt 999999", server.send(HttpMethod.POST, "/api/v1/runs",
      good.copy().put("prompt_id", 999999)));
    refused(404, "no run 999999", await(server.get("/api/v1/runs/999999").send()));
    refused(404, "no run 999999", server.send(HttpMethod.POST, "/api/v1/runs/999999/cancel", null));
    refused(404, "no run 999999", server.send(HttpMethod.POST, "/api/v1/runs/999999/promote", null));
    refused(400, "limit must be an integer", await(server.get("/api/v1/runs?limit=many").send()));
    assertEquals(401, await(server.client.post("/api/v1/runs").sendJsonObject(good)).statusCode());
  }

  private static long dataset() {
    StringBuilder file = new StringBuilder();
    CAPITALS.forEach((country, capital) -> file.append(new JsonObject().put("input", country)
      .put("expected", capital).encode()).append('\n'));
    MultipartForm form = MultipartForm.create().attribute("name", "capitals").attribute("eval_ratio", "0.5")
      .binaryFileUpload("file", "capitals.jsonl", Buffer.buffer(file.toString()), "application/x-ndjson");
    return ok(await(server.post("/api/v1/datasets").sendMultipartForm(form))).getLong("id");
  }

  private static void refused(int status, String message, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertTrue(error.getString("message").contains(message), "expected \"" + message + "\" in "
      + response.bodyAsString());
  }
}
