package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.promptlab.testkit.FakeChatCompletions;
import dev.promptlab.testkit.FakeImageApis.Received;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import dev.promptlab.testkit.S3TestServer;
import dev.promptlab.testkit.SampleImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, run as a separate process exactly as the README's "Run with real providers" section runs
 * it, against local servers that speak the real wire formats: Leonardo (with the presigned S3 upload of the
 * init image), Replicate, AUTOMATIC1111, an OpenAI-compatible chat API, and an S3-compatible store. Each case
 * drives upload, rating and a forced prompt evolution over HTTP and checks what each fake received.
 *
 * <p>These are the cases that pass in the test JVM whatever the jar holds: a class missing from the jar, a
 * configuration switch the packaged launcher reads differently, or a file outside the data directory shows
 * up only here.
 */
class PackagedServerWithProvidersIT {

  private static final String LEONARDO_KEY = "leo-acceptance-key-3c9e1f7a2b5d";
  private static final String REPLICATE_TOKEN = "r8_acceptance_token_8e2f4a6c1b9d";
  private static final String OPENAI_KEY = "sk-acceptance-5f2a9c7e1d3b";

  @Test
  void leonardoReplicateAndAnOpenAiCompatibleLlm() throws Exception {
    try (FakeImageApis images = FakeImageApis.open(LEONARDO_KEY, REPLICATE_TOKEN);
         FakeChatCompletions llm = new FakeChatCompletions(OPENAI_KEY)) {
      llm.otherwise(FakeChatCompletions.completion(proposal()));
      Map<String, String> environment = new HashMap<>(images.operatorEnvironment());
      environment.putAll(openAi(llm));
      // One option per API in every experiment (the optimizer's initial design splits the first coordinate).
      environment.put("PROMPTLAB__OPTIMIZER__INITIAL_DESIGN", "40");
      try (PackagedServer server = PackagedServer.createShortLived("providers", environment)) {
        server.start();
        JsonObject experiment = upload(server);
        assertEquals(List.of("leonardo", "stablediffusion"), apis(experiment));
        for (Object o : experiment.getJsonArray("options")) {
          JsonObject option = (JsonObject) o;
          assertEquals("ready", option.getString("status"), option.encode());
          byte[] expected = "leonardo".equals(api(option)) ? images.leonardoResult : images.replicateResult;
          assertArrayEquals(expected, image(server, option.getString("url")), api(option) + "'s image is served");
        }

        Received upload = images.received(Step.PRESIGNED_UPLOAD).get(0);
        assertNotNull(upload.headers().get("Content-Length"), "the presigned S3 POST carries its length");
        assertFalse("chunked".equalsIgnoreCase(upload.headers().get("Transfer-Encoding")));
        assertEquals("Bearer " + LEONARDO_KEY, images.received(Step.LEONARDO_GENERATIONS).get(0).authorization());
        assertEquals("Bearer " + REPLICATE_TOKEN, images.received(Step.REPLICATE_PREDICTIONS).get(0).authorization());

        rate(server, experiment, 2, "se ve plano, la luz parece falsa");
        JsonObject evolution = evolve(server);
        assertEquals("succeeded", evolution.getString("status"), evolution.encode());
        assertEquals("openai", evolution.getString("provider"));
        assertEquals(1, llm.received.size());
        assertEquals("/v1/chat/completions", llm.received.get(0).path());
        assertEquals("Bearer " + OPENAI_KEY, llm.received.get(0).authorization());
        assertEquals("acceptance-model", llm.received.get(0).body().getString("model"));
        String candidate = evolution.getString("candidate_version");
        assertNotNull(candidate, evolution.encode());
        assertEquals(200, server.get("/api/admin/prompts/" + candidate).statusCode(), "the new version is served");
      }
    }
  }

  @Test
  void automatic1111WithImagesInS3() throws Exception {
    try (FakeImageApis images = FakeImageApis.open(LEONARDO_KEY, REPLICATE_TOKEN);
         S3TestServer s3 = S3TestServer.start()) {
      Map<String, String> environment = new HashMap<>(images.automatic1111Environment());
      environment.putAll(s3.environment());
      environment.putAll(s3.credentialsEnvironment());
      try (PackagedServer server = PackagedServer.createShortLived("automatic1111-s3", environment)) {
        server.start();
        JsonObject experiment = upload(server);
        List<Received> calls = images.received(Step.AUTOMATIC1111_IMG2IMG);
        assertEquals(2, calls.size(), "both options rendered by AUTOMATIC1111");
        for (Object o : experiment.getJsonArray("options")) {
          JsonObject option = (JsonObject) o;
          assertEquals("ready", option.getString("status"), option.encode());
          assertArrayEquals(images.automatic1111Result, image(server, option.getString("url")));
        }
        assertEquals(1, s3.keys(S3TestServer.ORIGINALS_BUCKET).size(), "the render is stored in S3");
        assertEquals(2, s3.keys(S3TestServer.ENHANCED_BUCKET).size(), "both variants are stored in S3");
        rate(server, experiment, 4, "bastante realista");
        JsonObject evolution = evolve(server);
        assertEquals("succeeded", evolution.getString("status"), evolution.encode());
      }
    }
  }

  private static Map<String, String> openAi(FakeChatCompletions llm) {
    return Map.of("PROMPTLAB__EVOLUTION__LLM__PROVIDER", "openai",
      "PROMPTLAB__EVOLUTION__LLM__BASE_URL", llm.baseUrl(),
      "PROMPTLAB__EVOLUTION__LLM__MODEL", "acceptance-model",
      "OPENAI_API_KEY", OPENAI_KEY);
  }

  private static String proposal() {
    return new JsonObject()
      .put("improved_prompt", "a photograph of a real interior, natural window light, soft contact shadows,"
        + " preserve the exact spatial layout, keep every element's exact shape, size and position,"
        + " keep the exact original colors and materials")
      .put("improved_negative_prompt", "render, cgi, flat lighting, plastic textures")
      .put("changes", new JsonArray().add("'render' became 'photograph'"))
      .put("reasoning", "trainers find the light flat and fake")
      .put("expected_improvement", "more photographic light").encode();
  }

  private static JsonObject upload(PackagedServer server) throws Exception {
    return server.upload(SampleImages.jpeg(640, 480), "structure");
  }

  private static void rate(PackagedServer server, JsonObject experiment, int rating, String comment) throws Exception {
    HttpResponse<String> response = server.postJson("/api/train/rate",
      PackagedServer.ratings(experiment, option -> rating, comment).encode());
    assertEquals(200, response.statusCode(), response.body());
  }

  private static JsonObject evolve(PackagedServer server) throws Exception {
    HttpResponse<String> response = server.postJson("/api/train/evolve", "{}");
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static byte[] image(PackagedServer server, String url) throws Exception {
    HttpResponse<byte[]> response = server.getBytes(url);
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private static String api(JsonObject option) {
    return option.getJsonObject("parameters").getString("api");
  }

  private static List<String> apis(JsonObject experiment) {
    return experiment.getJsonArray("options").stream().map(o -> api((JsonObject) o)).sorted().toList();
  }
}
