package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeChatCompletions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A text-prompt optimisation run through the packaged jar, its task and optimizer models on a fake
 * OpenAI-compatible server configured through the jar's environment switches (the key from the variable
 * {@code key_env} names), killed with {@code kill -9} in the middle of the run and started again: the run resumes
 * and succeeds without asking the rows it had answered again, and the optimizer received the meta-prompt the jar
 * carries.
 */
class TextRunPackagedIT {

  private static final String KEY = "sk-textopt-acceptance-4b1d9e";
  private static final Map<String, String> CAPITALS = Map.of("France", "Paris", "Peru", "Lima", "Japan", "Tokyo",
    "Kenya", "Nairobi", "Spain", "Madrid", "Chile", "Santiago", "Italy", "Rome", "Egypt", "Cairo");

  @Test
  void aRunKilledMidwayResumesAndSucceeds() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    AtomicBoolean holding = new AtomicBoolean(true);
    try (FakeChatCompletions models = new FakeChatCompletions(KEY)) {
      models.otherwise((request, body) -> {
        JsonArray messages = body.getJsonArray("messages");
        if ("optimizer-model".equals(body.getString("model"))) {
          FakeChatCompletions.completion(new JsonObject().put("candidates", new JsonArray().add(new JsonObject()
            .put("system_prompt", "Give exactly the capital.").put("output_prompt", "").put("rationale", "precise")))
            .encode()).send(request, body);
          return;
        }
        String system = messages.getJsonObject(0).getString("content");
        String input = messages.getJsonObject(1).getString("content");
        String answer = system.contains("exactly") ? CAPITALS.get(input) : "I think it is " + CAPITALS.get(input);
        // After three answers the server stops answering, so the jar is killed with the run half done.
        (holding.get() && answered.incrementAndGet() > 3 ? FakeChatCompletions.silence()
          : FakeChatCompletions.completion(answer)).send(request, body);
      });
      JsonObject endpoint = new JsonObject().put("base_url", models.baseUrl()).put("key_env", "TEXTOPT_KEY")
        .put("max_concurrent", 1).put("max_attempts", 1).put("timeout_ms", 600_000);
      Map<String, String> environment = Map.of(
        "TEXTOPT_KEY", KEY,
        "PROMPTLAB__TEXTOPT__TASK_MODEL", endpoint.copy().put("model", "task-model").encode(),
        "PROMPTLAB__TEXTOPT__OPTIMIZER_MODEL", endpoint.copy().put("model", "optimizer-model").encode());
      try (PackagedServer server = PackagedServer.createShortLived("textopt-run", environment)) {
        server.start();
        long dataset = dataset(server);
        HttpResponse<String> prompt = server.postJson("/api/v1/prompts",
          new JsonObject().put("name", "capitals").put("system_prompt", "Name the capital.").put("output_prompt", "")
            .encode());
        assertEquals(201, prompt.statusCode(), prompt.body());
        HttpResponse<String> created = server.postJson("/api/v1/runs", new JsonObject().put("dataset_id", dataset)
          .put("prompt_id", new JsonObject(prompt.body()).getLong("id")).put("target_metric", "exact_match")
          .encode());
        assertEquals(201, created.statusCode(), created.body());
        long id = new JsonObject(created.body()).getLong("id");
        Eventually.until("the fourth row is asked and left unanswered", () -> models.inFlight() == 1);

        server.kill();
        holding.set(false);
        server.start();

        JsonObject run = Eventually.value("the resumed run ends", () -> new JsonObject(
          server.get("/api/v1/runs/" + id).body()), r -> !List.of("queued", "running").contains(r.getString("status")));
        assertEquals("succeeded", run.getString("status"), run.encodePrettily());
        assertEquals(1.0, run.getJsonObject("best").getJsonObject("metrics").getDouble("exact_match"));

        List<JsonObject> task = models.received.stream().map(FakeChatCompletions.Received::body)
          .filter(b -> "task-model".equals(b.getString("model"))).toList();
        Set<String> distinct = new HashSet<>();
        task.forEach(b -> distinct.add(b.getJsonArray("messages").encode()));
        assertEquals(task.size() - 1, distinct.size(), "only the row in flight at the kill was asked twice");
        assertTrue(models.received.stream().allMatch(r -> ("Bearer " + KEY).equals(r.authorization())));
        String metaPrompt = Files.readString(PackagedServer.projectRoot().resolve(
          "prompts/textopt-optimizer-prompt.txt"), StandardCharsets.UTF_8).strip();
        assertEquals(metaPrompt, models.received.stream().map(FakeChatCompletions.Received::body)
          .filter(b -> "optimizer-model".equals(b.getString("model"))).findFirst().orElseThrow()
          .getJsonArray("messages").getJsonObject(0).getString("content"), "the jar carries the meta-prompt");
      }
    }
  }

  private static long dataset(PackagedServer server) throws Exception {
    StringBuilder file = new StringBuilder();
    CAPITALS.forEach((country, capital) -> file.append(new JsonObject().put("input", country)
      .put("expected", capital).encode()).append('\n'));
    HttpResponse<String> created = server.postMultipart("/api/v1/datasets", "file", "capitals.jsonl",
      "application/x-ndjson", file.toString().getBytes(StandardCharsets.UTF_8), Map.of("name", "capitals",
        "eval_ratio", "0.5"));
    assertEquals(201, created.statusCode(), created.body());
    return new JsonObject(created.body()).getLong("id");
  }
}
