package dev.promptlab.launcher;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.launcher.bench.StudyDriver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One mode's study of a packaged server, driven through the public API as the trainer page does: upload
 * a render ({@code POST /api/enhance/train}), read the two options' parameters, rate them
 * ({@code POST /api/train/rate}), read phase 1 ({@code GET /api/train/status}).
 */
final class HttpStudy implements StudyDriver {

  private final PackagedServer server;
  private final String mode;
  private final byte[] render;
  private JsonObject experiment;
  private final List<Long> uploadMillis = new ArrayList<>();
  private int rewardSelections;
  private int firstRewardSelection = -1;
  private int predictedObservations;
  private int mostPredictedObservations;
  private long predictedObservationRounds;
  private int statusReads;

  HttpStudy(PackagedServer server, String mode, byte[] render) {
    this.server = server;
    this.mode = mode;
    this.render = render;
  }

  @Override
  public List<GenerationParameters> experiment() throws Exception {
    long started = System.nanoTime();
    HttpResponse<String> response = server.postMultipart("/api/enhance/train", "image", "room.png", "image/png", render,
      Map.of("mode", mode));
    uploadMillis.add((System.nanoTime() - started) / 1_000_000);
    require(response, "upload");
    experiment = new JsonObject(response.body());
    if ("reward-model".equals(experiment.getString("selection"))) {
      rewardSelections++;
      if (firstRewardSelection < 0) {
        firstRewardSelection = uploadMillis.size();
      }
    }
    List<GenerationParameters> parameters = new ArrayList<>();
    for (Object option : experiment.getJsonArray("options")) {
      JsonObject p = ((JsonObject) option).getJsonObject("parameters");
      parameters.add(fromSeedJson(p.getString("api"), p));
    }
    return parameters;
  }

  @Override
  public PhaseOne rate(List<Integer> ratings) throws Exception {
    JsonArray options = experiment.getJsonArray("options");
    JsonArray entries = new JsonArray();
    for (int i = 0; i < ratings.size(); i++) {
      JsonObject option = options.getJsonObject(i);
      entries.add(new JsonObject().put("option", option.getString("option")).put("image_id", option.getLong("image_id"))
        .put("rating", ratings.get(i)));
    }
    JsonObject body = new JsonObject().put("experiment_id", experiment.getString("experiment_id"))
      .put("rated_by", "bench-" + mode + "@example.com").put("ratings", entries);
    HttpResponse<String> rated = server.postJson("/api/train/rate", body.encode());
    require(rated, "rating");
    boolean complete = new JsonObject(rated.body()).getBoolean("phase_1_complete", false);
    if (!complete && rewardSelections == 0) {
      return new PhaseOne(false, null, null);
    }
    HttpResponse<String> status = server.get("/api/train/status?mode=" + mode);
    require(status, "status");
    JsonObject json = new JsonObject(status.body());
    predictedObservations = json.getJsonObject("phase_1").getInteger("predicted_observations", 0);
    mostPredictedObservations = Math.max(mostPredictedObservations, predictedObservations);
    predictedObservationRounds += predictedObservations;
    statusReads++;
    if (!complete) {
      return new PhaseOne(false, null, null);
    }
    JsonObject best = json.getJsonObject("current_best");
    return new PhaseOne(true, json.getJsonObject("phase_1").getString("completed_reason"),
      best == null ? null : fromSeedJson(best.getString("api"), best.getJsonObject("parameters")));
  }

  List<Long> uploadMillis() {
    return uploadMillis;
  }

  String mode() {
    return mode;
  }

  int uploads() {
    return uploadMillis.size();
  }

  /** Uploads whose two options the reward model chose (best-of-N ran). */
  int rewardSelections() {
    return rewardSelections;
  }

  /** The 1-based upload at which the reward model first chose, or -1. */
  int firstRewardSelection() {
    return firstRewardSelection;
  }

  /** Predicted ratings the study learnt, as of the last status read after best-of-N began. */
  int predictedObservations() {
    return predictedObservations;
  }

  /** The most predicted ratings the study learnt at once, over the status reads after best-of-N began. */
  int mostPredictedObservations() {
    return mostPredictedObservations;
  }

  /** The mean number of predicted ratings the study learnt, over the status reads after best-of-N began. */
  double meanPredictedObservations() {
    return statusReads == 0 ? 0 : predictedObservationRounds / (double) statusReads;
  }

  /** Options and the status give parameters under each API's own names (seed format), rounded. */
  private static GenerationParameters fromSeedJson(String api, JsonObject p) {
    if (api == null || p == null) {
      return null;
    }
    double strength = p.getDouble(p.containsKey("init_strength") ? "init_strength" : "strength");
    double control = p.getDouble(p.containsKey("controlnet_weight") ? "controlnet_weight" : "controlnet_conditioning_scale");
    return new GenerationParameters(api, strength, p.getDouble("guidance_scale"), control);
  }

  private static void require(HttpResponse<String> response, String what) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(what + " failed: HTTP " + response.statusCode() + " " + response.body());
    }
  }
}
