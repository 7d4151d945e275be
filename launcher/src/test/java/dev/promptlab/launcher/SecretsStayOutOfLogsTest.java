package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.FakeImageApis.Reply;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import dev.promptlab.testkit.S3TestServer;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run with every secret configured — the Leonardo key, Replicate token and OpenAI key in their environment
 * variables, S3 credentials in the AWS default chain, the operator's admin token — through start-up, successes, every
 * kind of provider failure (including services that echo the key back in their error bodies), retries, a
 * redeploy that re-reads the configuration, every page and API answer, and shutdown. Every log line of the
 * process (our code and Vert.x at DEBUG) and every HTTP answer is searched for each secret.
 */
@ExtendWith(BlockedThreadGuard.class)
class SecretsStayOutOfLogsTest {

  private static final String LEONARDO_KEY = "leo-secret-key-3e8d1c0b7a9f4e2d";
  private static final String REPLICATE_TOKEN = "r8_secret_token_5a6b7c8d9e0f1a2b";
  /** Configured but unused (the LLM provider stays offline): present in the configuration all the same. */
  private static final String OPENAI_KEY = "sk-secret-openai-0d9c8b7a6f5e4d3c";

  private final List<String> answers = new ArrayList<>();

  @Test
  void noSecretAppearsInAnyLogLineOrAnswer() throws Exception {
    TestDatabase.reset();
    List<String> lines;
    try (S3TestServer s3 = S3TestServer.start();
         FakeImageApis fake = FakeImageApis.open(LEONARDO_KEY, REPLICATE_TOKEN)) {
      Map<String, String> environment = new HashMap<>(fake.serverEnvironment());
      environment.putAll(s3.environment());
      environment.put("PROMPTLAB__OPTIMIZER__INITIAL_DESIGN", "40");
      environment.put("OPENAI_API_KEY", OPENAI_KEY);
      try (CapturedLogs logs = CapturedLogs.withDebug("dev.promptlab", "io.vertx")) {
        RunningServer server = RunningServer.startOnTestDatabase(environment);
        try {
          exercise(server, fake);
        } finally {
          server.close();
        }
        lines = logs.lines();
      }
      assertEquals("Bearer " + LEONARDO_KEY, fake.received(Step.LEONARDO_INIT_IMAGE).get(0).authorization(),
        "the Leonardo key was in use");
      assertEquals("Bearer " + REPLICATE_TOKEN, fake.received(Step.REPLICATE_PREDICTIONS).get(0).authorization(),
        "the Replicate token was in use");
    }

    for (String evidence : List.of("PromptLab is up", "rate_limited — retry 1 in", "Redeployed generation",
      "no variant could be generated")) {
      assertTrue(lines.stream().anyMatch(l -> l.contains(evidence)), "the capture holds \"" + evidence + "\"");
    }
    Map<String, String> secrets = Map.of("LEONARDO_API_KEY", LEONARDO_KEY, "REPLICATE_API_TOKEN", REPLICATE_TOKEN,
      "OPENAI_API_KEY", OPENAI_KEY, "AWS secret access key", S3TestServer.SECRET_KEY,
      "PROMPTLAB_ADMIN_TOKEN", RunningServer.ADMIN_TOKEN);
    secrets.forEach((name, secret) -> {
      for (String line : lines) {
        assertFalse(line.contains(secret), name + " in a log line: " + line);
      }
      for (String answer : answers) {
        assertFalse(answer.contains(secret), name + " in an HTTP answer: " + answer);
      }
    });
  }

  private void exercise(RunningServer server, FakeImageApis fake) throws Exception {
    JsonObject ok = experiment(upload(server, "structure"));
    record(await(server.post("/api/train/rate").sendJsonObject(TrainingLoopTest.ratingBody(ok, 4, 2))));

    // Services that answer a refusal with the key in the body, a body that is not JSON, a throttle.
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.json(401, new JsonObject().put("error", "invalid key " + LEONARDO_KEY)));
    JsonObject keyRefused = experiment(upload(server, "surfaces"));
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(403, new JsonObject().put("title", "Forbidden")
      .put("detail", "token " + REPLICATE_TOKEN + " lacks permission").put("status", 403)));
    fake.next(Step.LEONARDO_GENERATIONS, Reply.brokenJson(200, "{\"echo\": \"Authorization: Bearer " + LEONARDO_KEY));
    HttpResponse<Buffer> bothFailed = upload(server, "structure");
    assertEquals(502, bothFailed.statusCode(), bothFailed.bodyAsString());
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(429, new JsonObject()
      .put("detail", "throttled " + REPLICATE_TOKEN)).withHeader("Retry-After", "1"));
    experiment(upload(server, "structure"));
    for (Object o : keyRefused.getJsonArray("options")) {
      JsonObject option = (JsonObject) o;
      if ("failed".equals(option.getString("status"))) {
        HttpResponse<Buffer> retried = await(server.post("/api/train/experiments/"
          + keyRefused.getString("experiment_id") + "/options/" + option.getString("option") + "/retry").send());
        record(retried);
        assertEquals(200, retried.statusCode(), retried.bodyAsString());
      }
    }
    record(await(server.get(ok.getJsonArray("options").getJsonObject(0).getString("url")).send()));

    // The configuration (with the keys) is read again and the generation verticle redeployed; it still works.
    HttpResponse<Buffer> redeployed = await(server.post("/api/admin/verticles/generation/redeploy").send());
    record(redeployed);
    assertEquals(200, redeployed.statusCode(), redeployed.bodyAsString());
    experiment(upload(server, "surfaces"));

    for (String path : List.of("/", "/history", "/account", "/admin", "/admin/prompts", "/admin/trainers",
      "/ui/status?mode=structure", "/api/train/status", "/api/train/history?limit=20", "/api/admin/overview",
      "/api/admin/prompts", "/api/admin/evolutions", "/metrics", "/health", "/ready")) {
      HttpResponse<Buffer> page = await(server.get(path).send());
      assertEquals(200, page.statusCode(), path + ": " + page.bodyAsString());
      record(page);
    }
    record(await(server.client.get("/login").send()));
    record(await(server.client.get("/api/train/status").send()));
  }

  private HttpResponse<Buffer> upload(RunningServer server, String mode) throws Exception {
    HttpResponse<Buffer> response = await(server.post("/api/enhance/train").sendMultipartForm(MultipartForm.create()
      .attribute("mode", mode).binaryFileUpload("image", "room.jpg", Buffer.buffer(SampleImages.jpeg(400, 300)),
        "image/jpeg")));
    record(response);
    return response;
  }

  private static JsonObject experiment(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private void record(HttpResponse<Buffer> response) {
    StringBuilder answer = new StringBuilder().append(response.statusCode()).append('\n');
    response.headers().forEach(h -> answer.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
    answer.append(response.bodyAsString());
    answers.add(answer.toString());
  }
}
