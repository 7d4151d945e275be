package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The learning loop over real HTTP: upload → two variants → rate → status and history change. */
class TrainingLoopTest extends HttpTestBase {

  @Test
  void uploadRateAndWatchStatusAndHistoryChange() throws Exception {
    byte[] png = pngWithAlpha();
    HttpResponse<Buffer> created = upload(png, "render.png", "image/png", "structure");
    assertEquals(200, created.statusCode(), created.bodyAsString());
    JsonObject experiment = created.bodyAsJsonObject();
    String experimentId = experiment.getString("experiment_id");
    assertTrue(experimentId.matches("exp_[0-9a-z]{13}"), experimentId);
    assertEquals("initial-design", experiment.getString("strategy"));
    assertFalse(experiment.containsKey("fallback"));
    JsonArray options = experiment.getJsonArray("options");
    assertEquals(2, options.size());
    JsonObject a = options.getJsonObject(0);
    JsonObject b = options.getJsonObject(1);
    assertEquals("A", a.getString("option"));
    assertEquals("B", b.getString("option"));
    assertEquals(FakeNeighbours.PROMPT_VERSION, a.getString("prompt_version"));
    // Seed shape: provider-specific parameter names.
    assertEquals("leonardo", a.getJsonObject("parameters").getString("api"));
    assertTrue(a.getJsonObject("parameters").containsKey("init_strength"));
    assertTrue(a.getJsonObject("parameters").containsKey("controlnet_weight"));
    assertEquals("stablediffusion", b.getJsonObject("parameters").getString("api"));
    assertTrue(b.getJsonObject("parameters").containsKey("controlnet_conditioning_scale"));
    // URLs carry the unguessable public id, never the numeric image_id the rating still names.
    assertTrue(a.getString("url").matches("/images/[A-Za-z0-9_-]{22}"), a.getString("url"));
    assertFalse(a.getString("url").endsWith("/" + a.getLong("image_id")));
    assertTrue(experiment.getString("original_url").matches("/images/[A-Za-z0-9_-]{22}"));
    assertEquals(1, rows("experiments"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE status = 'ready'"));
    assertEquals(2, fakes.generateRequests.size());
    assertNotEquals(fakes.generateRequests.get(0).seed(), fakes.generateRequests.get(1).seed());
    assertEquals(1, fakes.experimentEvents.size());
    assertEquals(2, fakes.experimentEvents.get(0).getInteger("options_generated"));

    HttpResponse<Buffer> image = get(a.getString("url"));
    assertEquals(200, image.statusCode());
    assertEquals("image/png", image.getHeader("content-type"));
    assertTrue(image.getHeader("cache-control").contains("immutable"));
    assertArrayEquals(png, image.body().getBytes());

    HttpResponse<Buffer> rated = rate(new JsonObject()
      .put("experiment_id", experimentId)
      .put("ratings", new JsonArray()
        .add(new JsonObject().put("option", "A").put("image_id", a.getLong("image_id")).put("rating", 4)
          .put("comments", "Good depth, but colors slightly off"))
        .add(new JsonObject().put("option", "B").put("image_id", b.getLong("image_id")).put("rating", 5)
          .put("comments", "Perfect photorealism!")))
      .put("rated_by", "trainer@example.com"));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
    JsonObject answer = rated.bodyAsJsonObject();
    assertTrue(answer.getBoolean("success"));
    assertEquals("Ratings saved", answer.getString("message"));
    assertTrue(answer.getBoolean("ml_updated"));
    assertEquals(2, answer.getInteger("samples_collected"));
    assertEquals(5.0, answer.getDouble("current_best_rating"));
    assertFalse(answer.getBoolean("phase_1_complete"));
    assertEquals(2, rows("ratings"));
    assertEquals(0, rows("optimizer_observations"), "the optimizer's table is the optimizer's to write");
    // Published right after the commit, with the stored ratings' ids: what a listener needs to catch up.
    Eventually.until("the ratings event arrived", () -> fakes.ratingsEvents.size() == 1);
    List<Long> eventIds = fakes.ratingsEvents.get(0).getJsonArray("ratings").stream()
      .map(r -> ((JsonObject) r).getLong("rating_id")).sorted().toList();
    assertEquals(List.of(TestDatabase.count("SELECT min(id) FROM ratings"), TestDatabase.count("SELECT max(id) FROM ratings")),
      eventIds);
    assertEquals(2, fakes.observed.size(), "the answer waited until the optimizer had read both ratings");
    // The optimizer suggested 6.56 and 7.56; Leonardo rendered with 7, which is what is recorded and learned.
    assertEquals(6.56, fakes.generateRequests.stream().filter(r -> r.parameters().api().equals("leonardo"))
      .findFirst().orElseThrow().parameters().guidanceScale(), 1e-9);
    assertEquals(7.0, a.getJsonObject("parameters").getDouble("guidance_scale"), "the answer shows what was rendered");
    assertEquals(List.of(7.0, 7.56), fakes.observed.stream().map(o -> o.parameters().guidanceScale()).sorted().toList());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM rated_variants WHERE api = 'leonardo'"
      + " AND guidance_scale = 7 AND rating = 4 AND rated_by = 'trainer@example.com'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM rated_variants WHERE api = 'stablediffusion'"
      + " AND abs(guidance_scale - 7.56) < 1e-9 AND mode = 'structure'"));
    assertEquals(2, fakes.ratingsEvents.get(0).getInteger("samples_collected"));

    JsonObject status = get("/api/train/status?mode=structure").bodyAsJsonObject();
    JsonObject phase1 = status.getJsonObject("phase_1");
    assertEquals(2, phase1.getInteger("samples_collected"));
    assertTrue(phase1.getBoolean("active"));
    assertEquals(5.0, phase1.getDouble("best_rating"));
    assertEquals(48, phase1.getInteger("estimated_trials_remaining"));
    assertEquals(2, status.getJsonObject("phase_2").getInteger("training_samples"));
    assertNull(status.getJsonObject("phase_2").getValue("model_accuracy"));
    assertFalse(status.getJsonObject("phase_2").getBoolean("ready_for_inference"));
    assertEquals("collecting data: 2 rated variants with features",
      status.getJsonObject("phase_2").getString("reason"));
    assertEquals(FakeNeighbours.PROMPT_VERSION, status.getJsonObject("prompt_evolution").getString("current_version"));
    assertEquals(10, status.getJsonObject("prompt_evolution").getInteger("next_evolution_at_sample"));
    assertEquals(2, status.getJsonObject("prompt_evolution").getInteger("samples_collected"), "both modes' ratings");
    assertEquals(8, status.getJsonObject("prompt_evolution").getInteger("ratings_until_next_evolution"));
    assertEquals("stablediffusion", status.getJsonObject("current_best").getString("api"));
    assertTrue(status.getJsonObject("current_best").getJsonObject("parameters").containsKey("strength"));
    assertTrue(status.getJsonArray("unavailable").isEmpty());

    JsonObject history = get("/api/train/history").bodyAsJsonObject();
    JsonArray experiments = history.getJsonArray("experiments");
    assertEquals(1, experiments.size());
    JsonObject listed = experiments.getJsonObject(0);
    assertEquals(experimentId, listed.getString("experiment_id"));
    assertEquals("structure", listed.getString("mode"));
    assertEquals(4, listed.getJsonArray("options").getJsonObject(0).getInteger("rating"));
    assertEquals("Perfect photorealism!", listed.getJsonArray("options").getJsonObject(1).getString("comments"));
    JsonObject analytics = history.getJsonObject("analytics");
    assertEquals(2, analytics.getInteger("total_samples"));
    assertEquals(4.5, analytics.getDouble("avg_rating"));
    assertEquals(new JsonArray().add(4.5), analytics.getJsonArray("rating_trend"));
    assertEquals(status.getJsonObject("current_best").getJsonObject("parameters"),
      analytics.getJsonObject("best_parameters"), "the history names the status's best setting");
    assertEquals(status.getJsonObject("current_best"), analytics.getJsonObject("best_by_mode").getJsonObject("structure"));
    assertEquals(1, analytics.getJsonObject("api_performance").getJsonObject("leonardo").getInteger("count"));
    assertEquals(5.0, analytics.getJsonObject("api_performance").getJsonObject("stablediffusion")
      .getDouble("avg_rating"));
    assertEquals(0.04, analytics.getJsonObject("convergence").getDouble("structure"));

    // A JPEG in the other mode, then the history filters.
    HttpResponse<Buffer> second = upload(jpeg(), "render.jpg", "image/jpeg", "surfaces");
    assertEquals(200, second.statusCode(), second.bodyAsString());
    JsonObject secondExperiment = second.bodyAsJsonObject();
    assertEquals("surfaces", secondExperiment.getString("mode"));
    assertEquals("image/jpeg", get(secondExperiment.getString("original_url")).getHeader("content-type"));
    assertEquals(200, rate(new JsonObject().put("experiment_id", secondExperiment.getString("experiment_id"))
      .put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("rating", 2)))).statusCode());
    assertEquals(3, rows("ratings"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM rated_variants WHERE mode = 'surfaces'"));

    assertEquals(2, get("/api/train/history").bodyAsJsonObject().getJsonArray("experiments").size());
    JsonObject surfaces = get("/api/train/history?mode=surfaces").bodyAsJsonObject();
    assertEquals(1, surfaces.getJsonArray("experiments").size());
    assertEquals(1, surfaces.getJsonObject("analytics").getInteger("total_samples"));
    assertEquals(new JsonObject().put("surfaces", 0.06), surfaces.getJsonObject("analytics").getJsonObject("convergence"));
    JsonObject leonardo = get("/api/train/history?api=leonardo").bodyAsJsonObject();
    assertEquals(2, leonardo.getJsonArray("experiments").size());
    leonardo.getJsonArray("experiments").forEach(e -> ((JsonObject) e).getJsonArray("options")
      .forEach(o -> assertEquals("leonardo", ((JsonObject) o).getString("api"))));
    assertEquals(2, leonardo.getJsonObject("analytics").getInteger("total_samples"));
    JsonObject best = get("/api/train/history?min_rating=5").bodyAsJsonObject();
    assertEquals(1, best.getJsonArray("experiments").size());
    assertEquals(1, best.getJsonArray("experiments").getJsonObject(0).getJsonArray("options").size());
    assertEquals(1, get("/api/train/history?limit=1").bodyAsJsonObject().getJsonArray("experiments").size());
    assertEquals(1, get("/api/train/status?mode=surfaces").bodyAsJsonObject().getJsonObject("phase_1")
      .getInteger("samples_collected"));
  }

  @Test
  void optimizerFailureFallsBackToRandomParametersAndSaysSo() throws Exception {
    fakes.suggestFails = true;
    JsonObject body = upload(pngWithAlpha(), "r.png", "image/png", "structure").bodyAsJsonObject();
    assertEquals("random-fallback", body.getString("strategy"));
    assertTrue(body.getBoolean("fallback"));
    assertEquals("optimizer_failed", body.getString("fallback_reason"));
    assertEquals(2, body.getJsonArray("options").size());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiments WHERE strategy = 'random-fallback'"));
    assertEquals(1, fakes.fallbackEvents.size());
    assertEquals(new JsonObject().put("study", "structure").put("reason", "optimizer_failed"), fakes.fallbackEvents.get(0));
  }

  @Test
  void optimizerNotRunningFallsBackToRandomParameters() throws Exception {
    await(fakes.silence(Addresses.OPTIMIZER_SUGGEST));
    try {
      JsonObject body = upload(pngWithAlpha(), "r.png", "image/png", "surfaces").bodyAsJsonObject();
      assertEquals("optimizer_not_running", body.getString("fallback_reason"));
      assertEquals(2, rows("experiment_options"));
    } finally {
      await(fakes.restore(Addresses.OPTIMIZER_SUGGEST));
    }
  }

  @Test
  void aFailedVariantIsStoredAndShownWhileTheOtherArrives() throws Exception {
    fakes.failingApi = "stablediffusion";
    HttpResponse<Buffer> response = upload(pngWithAlpha(), "r.png", "image/png", "structure");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    JsonObject a = body.getJsonArray("options").getJsonObject(0);
    JsonObject b = body.getJsonArray("options").getJsonObject(1);
    assertEquals("ready", a.getString("status"));
    assertEquals("failed", b.getString("status"));
    assertNull(b.getValue("url"));
    assertEquals("provider_failed", b.getJsonObject("error").getString("code"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE status = 'failed'"
      + " AND error LIKE '%answered 500%' AND image_id IS NULL"));

    String id = body.getString("experiment_id");
    HttpResponse<Buffer> refused = rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("rating", 3))
      .add(new JsonObject().put("option", "B").put("rating", 3))));
    assertEquals(409, refused.statusCode());
    assertEquals("conflict", refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(0, rows("ratings"));

    assertEquals(200, rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("rating", 3)))).statusCode());
    assertEquals(1, rows("ratings"));
  }

  @Test
  void bothVariantsFailingIsABadGatewayWithTheExperimentKept() throws Exception {
    fakes.failingApi = "*";
    HttpResponse<Buffer> response = upload(pngWithAlpha(), "r.png", "image/png", "structure");
    assertEquals(502, response.statusCode(), response.bodyAsString());
    assertEquals("provider_failed", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE status = 'failed'"));
  }

  @Test
  void aFailedVariantCanBeRetriedWithTheSamePoint() throws Exception {
    fakes.failingApi = "stablediffusion";
    JsonObject body = upload(pngWithAlpha(), "r.png", "image/png", "structure").bodyAsJsonObject();
    String id = body.getString("experiment_id");
    String retry = "/api/train/experiments/" + id + "/options/B/retry";
    HttpResponse<Buffer> stillFailing = await(trainer(io.vertx.core.http.HttpMethod.POST, retry).send());
    assertEquals(502, stillFailing.statusCode(), stillFailing.bodyAsString());
    fakes.failingApi = null;
    HttpResponse<Buffer> retried = await(trainer(io.vertx.core.http.HttpMethod.POST, retry).send());
    assertEquals(200, retried.statusCode(), retried.bodyAsString());
    JsonObject option = retried.bodyAsJsonObject();
    assertEquals("ready", option.getString("status"));
    assertEquals(body.getJsonArray("options").getJsonObject(1).getJsonObject("parameters"), option.getJsonObject("parameters"));
    assertEquals(fakes.generateRequests.get(1).seed(), fakes.generateRequests.get(fakes.generateRequests.size() - 1).seed());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE option = 'B' AND status = 'ready'"
      + " AND image_id = " + option.getLong("image_id") + " AND error IS NULL"));
    assertEquals(409, await(trainer(io.vertx.core.http.HttpMethod.POST, retry).send()).statusCode());
    assertEquals(200, rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "B").put("image_id", option.getLong("image_id")).put("rating", 4))))
      .statusCode());
    assertEquals(404, await(trainer(io.vertx.core.http.HttpMethod.POST,
      "/api/train/experiments/exp_missing000/options/A/retry").send()).statusCode());
  }

  @Test
  void anAccountCannotRateInSomeoneElsesName() throws Exception {
    JsonObject body = upload(pngWithAlpha(), "r.png", "image/png", "structure").bodyAsJsonObject();
    assertEquals(200, rate(new JsonObject().put("experiment_id", body.getString("experiment_id"))
      .put("rated_by", "someone-else@example.com")
      .put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("rating", 4)))).statusCode());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ratings WHERE rated_by = '" + TRAINER_EMAIL + "'"));
    assertEquals(TRAINER_EMAIL, fakes.observed.get(0).rater());
  }

  @Test
  void theOptimizerFailingToLearnDoesNotLoseRatings() throws Exception {
    JsonObject body = upload(pngWithAlpha(), "r.png", "image/png", "structure").bodyAsJsonObject();
    fakes.learningFails = true;
    HttpResponse<Buffer> rated = rate(new JsonObject().put("experiment_id", body.getString("experiment_id"))
      .put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("rating", 4))));
    assertEquals(200, rated.statusCode());
    assertFalse(rated.bodyAsJsonObject().getBoolean("ml_updated"));
    assertEquals(1, rated.bodyAsJsonObject().getInteger("samples_collected"));
    assertEquals(1, rows("ratings"));
    assertEquals(1, fakes.ratingsEvents.size(), "published anyway: the optimizer catches up from it or the view");
  }
}
