package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TinyOnnxModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Phase 2 in the packaged server, as a separate process: the reward verticle extracts features and runs an ONNX
 * encoder from the fat jar (ONNX Runtime's native library included), a model trained on the ratings becomes
 * active, and the best-of-N switch then shows two of four candidates chosen by their predictions.
 */
class RewardModelPackagedIT {

  private static final int EXPERIMENTS = 50;

  @Test
  void theJarsRewardModelLearnsRatingsAndChoosesAmongCandidates() throws Exception {
    Path encoder = Files.createTempDirectory("reward-it-");
    TinyOnnxModel.write(encoder.resolve("encoder.onnx"), 3, 8);
    Map<String, String> environment = Map.of(
      "PROMPTLAB__HTTP__BEST_OF_N", "4",
      "PROMPTLAB__REWARD__ONNX_MODEL", encoder.resolve("encoder.onnx").toString(),
      "PROMPTLAB__REWARD__RETRAIN_EVERY", "100000",
      // The held-out share is drawn from the experiments' random ids: low minimums keep the activation certain.
      "PROMPTLAB__REWARD__MIN_HELD_OUT", "4",
      "PROMPTLAB__REWARD__MIN_PAIRS", "2",
      // Random parameters (no optimizer study narrowing them) give differently rated pairs to learn from.
      "PROMPTLAB__VERTICLES", "[\"metrics\", \"evolution\", \"generation\", \"reward\", \"http\"]",
      "PROMPTLAB__EVOLUTION__TRIGGERS__EVERY_SAMPLES", "100000",
      "PROMPTLAB__EVOLUTION__TRIGGERS__LOW_PERFORMANCE_AFTER", "100000",
      "PROMPTLAB__EVOLUTION__TRIGGERS__PLATEAU_SAMPLES", "100000");
    try (PackagedServer server = PackagedServer.create("reward", environment)) {
      server.start();
      JsonObject first = server.upload(SampleImages.jpeg(320, 240), "structure");
      assertEquals("two-options", first.getString("selection"));
      assertEquals("reward_model_inactive", first.getString("selection_reason"));
      rateByStrength(server, first);
      for (int i = 1; i < EXPERIMENTS; i++) {
        rateByStrength(server, server.upload(SampleImages.jpeg(320 + 4 * i, 240 + 2 * i), "structure"));
      }
      Eventually.until("features and embedding of every rated variant", Duration.ofSeconds(180),
        () -> phase2(server).getInteger("samples") == 2 * EXPERIMENTS);
      assertNotNull(phase2(server).getString("embedding_model"), "the encoder loaded: " + phase2(server));

      HttpResponse<String> trained = server.postJson("/api/ml/retrain", "{}");
      assertEquals(200, trained.statusCode(), trained.body());
      assertTrue(new JsonObject(trained.body()).getBoolean("active"), "the model must become active: " + trained.body());

      JsonObject chosen = server.upload(SampleImages.jpeg(400, 300), "structure");
      assertEquals("reward-model", chosen.getString("selection"), chosen.encode());
      assertEquals(2, chosen.getJsonArray("options").size());
      HttpResponse<String> history = server.get("/api/train/history?limit=1");
      assertEquals(200, history.statusCode(), history.body());
      JsonObject experiment = new JsonObject(history.body()).getJsonArray("experiments").getJsonObject(0);
      assertEquals(chosen.getString("experiment_id"), experiment.getString("experiment_id"));
      List<JsonObject> candidates = experiment.getJsonArray("candidates").stream().map(JsonObject.class::cast).toList();
      assertEquals(4, candidates.size(), experiment.encode());
      candidates.forEach(c -> assertNotNull(c.getDouble("predicted_rating"), "every candidate predicted: " + c));
      assertEquals(List.of("best", "most_uncertain"), candidates.stream().filter(c -> c.getString("option") != null)
        .map(c -> c.getString("role")).sorted().toList());
    } finally {
      Files.deleteIfExists(encoder.resolve("encoder.onnx"));
      Files.deleteIfExists(encoder);
    }
  }

  private static JsonObject phase2(PackagedServer server) {
    try {
      HttpResponse<String> status = server.get("/api/train/status");
      assertEquals(200, status.statusCode(), status.body());
      return new JsonObject(status.body()).getJsonObject("phase_2");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Rates each option 1 (weakest) to 5 (strongest) by its strength: what the model has to learn. */
  private static void rateByStrength(PackagedServer server, JsonObject experiment) throws Exception {
    JsonArray ratings = new JsonArray();
    for (Object o : experiment.getJsonArray("options")) {
      JsonObject option = (JsonObject) o;
      JsonObject p = option.getJsonObject("parameters");
      double strength = p.containsKey("init_strength") ? p.getDouble("init_strength") : p.getDouble("strength");
      ratings.add(new JsonObject().put("option", option.getString("option"))
        .put("rating", Math.max(1, Math.min(5, 1 + (int) Math.round(4 * (strength - 0.1) / 0.4)))));
    }
    HttpResponse<String> rated = server.postJson("/api/train/rate", new JsonObject()
      .put("experiment_id", experiment.getString("experiment_id")).put("ratings", ratings).encode());
    assertEquals(200, rated.statusCode(), rated.body());
  }
}
