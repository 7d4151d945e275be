package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What training learned reaches production, through the whole server: a study rated over HTTP ends phase 1, its
 * best setting is written into a new current prompt version, and {@code GET /api/production/parameters} serves it
 * with its provenance.
 */
@ExtendWith(BlockedThreadGuard.class)
class ProductionParametersOverHttpTest {

  /** No prompt evolution in this test: its A/B test would (rightly) hold the learned parameters back. */
  private static final Map<String, String> NO_EVOLUTION = Map.of(
    "PROMPTLAB__EVOLUTION__TRIGGERS__EVERY_SAMPLES", "100000",
    "PROMPTLAB__EVOLUTION__TRIGGERS__LOW_PERFORMANCE_AFTER", "100000",
    "PROMPTLAB__EVOLUTION__TRIGGERS__PLATEAU_SAMPLES", "100000");

  @Test
  void theBestSettingOfAStudyPastPhaseOneBecomesTheProductionParameters() throws Exception {
    TestDatabase.reset();
    try (RunningServer server = RunningServer.start(TestDatabase.settings().url(), NO_EVOLUTION)) {
      JsonObject before = production(server, "structure", "leonardo");
      assertEquals("v1.0.0", before.getString("prompt_version"));
      assertEquals(new JsonObject().put("kind", "prompt_defaults"), before.getJsonObject("source"));
      assertEquals(new JsonObject().put("api", "leonardo").put("init_strength", 0.25).put("guidance_scale", 7.0)
        .put("controlnet_weight", 0.92), before.getJsonObject("parameters"), "the version's defaults");

      for (int i = 0; i < 4; i++) {
        uploadAndRate(server);
      }
      HttpResponse<Buffer> ended = await(server.post("/api/admin/phase1")
        .sendJsonObject(new JsonObject().put("mode", "structure").put("complete", true)));
      assertEquals(200, ended.statusCode(), ended.bodyAsString());
      // After phase 1 the study re-rates its best setting: the ratings near it make it publishable.
      for (int i = 0; i < 8 && "prompt_defaults".equals(production(server, "structure", "leonardo")
        .getJsonObject("source").getString("kind")) && "prompt_defaults".equals(production(server, "structure",
        "stablediffusion").getJsonObject("source").getString("kind")); i++) {
        uploadAndRate(server);
      }
      JsonObject status = get(server, "/api/train/status?mode=structure");
      String api = status.getJsonObject("current_best").getString("api");
      JsonObject learned = Eventually.value("the learned parameters are production's",
        () -> production(server, "structure", api), p -> "learned".equals(p.getJsonObject("source").getString("kind")));

      assertEquals("v1.0.1", learned.getString("prompt_version"));
      assertEquals("v1.0.1", get(server, "/api/train/status?mode=structure").getJsonObject("prompt_evolution")
        .getString("current_version"), "the learned version is current");
      JsonObject source = learned.getJsonObject("source");
      assertEquals("structure", source.getString("study"));
      assertEquals("override", source.getString("phase_1_reason"));
      assertTrue(source.getInteger("ratings") >= 3, source.encodePrettily());
      assertTrue(source.getInteger("samples") >= 8, source.encodePrettily());
      JsonArray interval = source.getJsonArray("estimated_rating_interval");
      assertTrue(interval.getDouble(0) <= source.getDouble("estimated_rating")
        && source.getDouble("estimated_rating") <= interval.getDouble(1), source.encodePrettily());
      assertNotNull(source.getString("learned_at"));
      assertEquals(api, learned.getJsonObject("parameters").getString("api"));
      assertEquals("prompt_defaults", production(server, "surfaces", api).getJsonObject("source").getString("kind"),
        "the other mode has learned nothing");

      assertEquals(400, await(server.get("/api/production/parameters?mode=kitchen&api=leonardo").send()).statusCode());
      assertEquals(400, await(server.get("/api/production/parameters?mode=structure").send()).statusCode());
      assertEquals(401, await(server.client.get("/api/production/parameters?mode=structure&api=leonardo").send())
        .statusCode(), "production callers authenticate like every API client");
    }
  }

  /** One experiment rated by a taste that prefers low strength. */
  private static void uploadAndRate(RunningServer server) throws Exception {
    HttpResponse<Buffer> uploaded = TrainingLoopTest.upload(server, SampleImages.pngWithAlpha(64, 48), "room.png",
      "image/png", "structure");
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    JsonObject experiment = uploaded.bodyAsJsonObject();
    JsonArray options = experiment.getJsonArray("options");
    HttpResponse<Buffer> rated = TrainingLoopTest.rate(server, TrainingLoopTest.ratingBody(experiment,
      taste(options.getJsonObject(0)), taste(options.getJsonObject(1))));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
  }

  private static int taste(JsonObject option) {
    JsonObject p = option.getJsonObject("parameters");
    double strength = p.getDouble(p.containsKey("init_strength") ? "init_strength" : "strength");
    return strength < 0.3 ? 4 : 2;
  }

  private static JsonObject production(RunningServer server, String mode, String api) throws Exception {
    return get(server, "/api/production/parameters?mode=" + mode + "&api=" + api);
  }

  private static JsonObject get(RunningServer server, String path) throws Exception {
    HttpResponse<Buffer> response = await(server.get(path).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }
}
