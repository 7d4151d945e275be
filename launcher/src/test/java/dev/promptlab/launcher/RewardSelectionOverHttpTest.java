package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Best-of-N and screening on the whole server: the real generation (local provider), optimizer, evolution and
 * reward verticles and PostgreSQL. The reward model is trained through the API on ratings that follow the
 * strength of each variant, and activated, before the tests; each test restarts the server with the
 * configuration it needs.
 */
@ExtendWith(BlockedThreadGuard.class)
class RewardSelectionOverHttpTest {

  private static final String TRAINER = "rosa@example.com";
  private static final String PASSWORD = "a long trainer passphrase";
  private static final String ADMIN = "ines@example.com";
  private static final int TRAINING_EXPERIMENTS = 60;
  private static final String WITHOUT_OPTIMIZER = "[\"metrics\", \"evolution\", \"generation\", \"reward\", \"http\"]";
  private static RunningServer server;
  private static TrainerSession trainer;
  private static String inactiveReason;
  /** The environment every test starts from: best-of-N on, all verticles. */
  private static Map<String, String> configuration;

  @BeforeAll
  static void startAndTrainAnActiveModel() throws Exception {
    TestDatabase.reset();
    Map<String, String> env = new HashMap<>();
    env.put("PROMPTLAB__HTTP__BEST_OF_N", "4");
    env.put("TRAINING_ADMIN_EMAILS", ADMIN);
    env.put("PROMPTLAB__HTTP__PASSWORD_ITERATIONS", "1000");
    env.put("PROMPTLAB__REWARD__RETRAIN_EVERY", "100000");
    env.put("PROMPTLAB__REWARD__MIN_HELD_OUT", "8");
    // The held-out share is drawn from the experiments' random ids: low minimums keep the activation certain.
    env.put("PROMPTLAB__REWARD__MIN_PAIRS", "2");
    // No evolution, so no A/B test claims the pairs (the model does not pick an A/B test's pair).
    env.put("PROMPTLAB__EVOLUTION__TRIGGERS__EVERY_SAMPLES", "100000");
    env.put("PROMPTLAB__EVOLUTION__TRIGGERS__LOW_PERFORMANCE_AFTER", "100000");
    env.put("PROMPTLAB__EVOLUTION__TRIGGERS__PLATEAU_SAMPLES", "100000");
    // Trained without the optimizer: its random fallback spreads the strengths, where a study would soon suggest
    // only the strong settings these ratings favour, and the model would see no pair rated differently.
    env.put("PROMPTLAB__VERTICLES", WITHOUT_OPTIMIZER);
    server = RunningServer.startOnTestDatabase(env);
    trainer = TrainerSession.createAndLogIn(server, TRAINER, PASSWORD);
    for (int i = 0; i < TRAINING_EXPERIMENTS; i++) {
      JsonObject experiment = upload(server.post("/api/enhance/train"), 320 + 8 * i, 240 + 4 * i);
      if (i == 0) {
        inactiveReason = experiment.getString("selection") + " " + experiment.getString("selection_reason");
      }
      rateByStrength(server.post("/api/train/rate"), experiment);
    }
    Eventually.until("features of every rated variant", () -> status().getInteger("samples")
      == 2 * TRAINING_EXPERIMENTS);
    HttpResponse<Buffer> trained = await(server.post("/api/ml/retrain").send());
    assertEquals(200, trained.statusCode(), trained.bodyAsString());
    assertTrue(trained.bodyAsJsonObject().getBoolean("active"), "the model must be active for these tests: "
      + trained.bodyAsString());
    server.environment.remove("PROMPTLAB__VERTICLES");
    configuration = Map.copyOf(server.environment);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void uploadsBeforeTheModelIsActiveShowTwoOptionsAndSayWhy() {
    assertEquals("two-options reward_model_inactive", inactiveReason);
  }

  @Test
  void theBestPredictedAndTheMostUncertainAreShownAndTheOthersRecordedForAdminsOnly() throws Exception {
    restartWith(Map.of());
    HttpResponse<Buffer> uploaded = uploadResponse(trainer.request(HttpMethod.POST, "/api/enhance/train"), 400, 300);
    assertEquals(200, uploaded.statusCode(), uploaded.bodyAsString());
    JsonObject answer = uploaded.bodyAsJsonObject();
    assertEquals("reward-model", answer.getString("selection"));
    assertNull(answer.getValue("selection_reason"));
    assertEquals(2, answer.getJsonArray("options").size(), "the seed's two options");
    assertFalse(uploaded.bodyAsString().contains("predicted"), "a trainer never sees a prediction");

    JsonArray candidates = adminView(answer.getString("experiment_id")).getJsonArray("candidates");
    assertEquals(4, candidates.size());
    List<JsonObject> all = candidates.stream().map(JsonObject.class::cast).toList();
    all.forEach(c -> assertNotNull(c.getDouble("predicted_rating"), "every candidate was predicted: " + c));
    JsonObject best = all.stream().max(Comparator.comparingDouble(c -> c.getDouble("predicted_rating"))).orElseThrow();
    JsonObject uncertain = all.stream().filter(c -> c != best)
      .max(Comparator.comparingDouble(c -> c.getDouble("uncertainty"))).orElseThrow();
    assertEquals("best", best.getString("role"));
    assertEquals("most_uncertain", uncertain.getString("role"));
    assertEquals(2, all.stream().filter(c -> "unshown".equals(c.getString("role")) && c.getString("option") == null)
      .count());
    for (JsonObject option : answer.getJsonArray("options").stream().map(JsonObject.class::cast).toList()) {
      JsonObject shown = all.stream().filter(c -> option.getString("option").equals(c.getString("option")))
        .findFirst().orElseThrow();
      assertEquals(option.getString("url"), shown.getString("url"), "the shown option is that candidate");
      assertTrue(shown == best || shown == uncertain, shown.encode());
    }

    rateByStrength(trainer.request(HttpMethod.POST, "/api/train/rate"), answer);
    JsonObject rated = adminView(answer.getString("experiment_id"));
    rated.getJsonArray("candidates").stream().map(JsonObject.class::cast).forEach(c -> assertEquals(
      c.getString("option") != null, c.getValue("rating") != null, "a shown candidate carries its rating: " + c));

    JsonObject own = await(trainer.request(HttpMethod.GET, "/api/train/history?limit=5").send()).bodyAsJsonObject();
    assertFalse(own.encode().contains("candidates") || own.encode().contains("predicted"),
      "a trainer's history has no candidates nor predictions");
    String unshown = all.stream().filter(c -> c.getString("option") == null).findFirst().orElseThrow().getString("url");
    assertEquals(404, await(trainer.request(HttpMethod.GET, unshown).send()).statusCode(),
      "an unshown candidate's image is the admins' alone");
    assertEquals(200, await(server.get(unshown).send()).statusCode());
  }

  @Test
  void adminsSeeEveryCandidateWithItsRoleAndPredictionOnTheHistoryPageInTheirLanguage() throws Exception {
    restartWith(Map.of());
    JsonObject answer = upload(trainer.request(HttpMethod.POST, "/api/enhance/train"), 400, 300);
    rateByStrength(trainer.request(HttpMethod.POST, "/api/train/rate"), answer);
    List<JsonObject> candidates = adminView(answer.getString("experiment_id")).getJsonArray("candidates").stream()
      .map(JsonObject.class::cast).toList();
    TrainerSession admin = TrainerSession.createAndLogIn(server, ADMIN, PASSWORD);

    String spanish = experimentItem(await(admin.request(HttpMethod.GET, "/history?limit=500").send()).bodyAsString(),
      answer.getString("experiment_id"));
    assertEquals(4, count(spanish, "<tr class=\"candidate "), spanish);
    assertTrue(spanish.contains("la mejor predicha") && spanish.contains("la más incierta")
      && spanish.contains("no mostrada"), spanish);
    for (JsonObject c : candidates) {
      String predicted = String.format(java.util.Locale.forLanguageTag("es"), "%.2f ± %.2f",
        c.getDouble("predicted_rating"), c.getDouble("uncertainty"));
      assertTrue(spanish.contains(predicted), "the prediction with a decimal comma: " + predicted);
      assertTrue(spanish.contains(c.getString("url")), "each candidate links its image");
    }
    String spanishText = spanish.replaceAll("<[^>]+>", " ");
    for (String english : List.of("most_uncertain", "unshown", "best predicted", "Candidates", "Prediction")) {
      assertFalse(spanishText.contains(english), "no English on the Spanish page: " + english);
    }
    String english = experimentItem(await(admin.request(HttpMethod.GET, "/history?limit=500&lang=en").send())
      .bodyAsString(), answer.getString("experiment_id"));
    assertTrue(english.contains("best predicted") && english.contains("not shown"), english);

    String own = await(trainer.request(HttpMethod.GET, "/history?limit=500").send()).bodyAsString();
    assertFalse(own.contains("class=\"candidates\""), "a trainer's page shows no candidates");
  }

  private static String experimentItem(String html, String experimentId) {
    int start = html.indexOf("id=\"" + experimentId + "\"");
    assertTrue(start >= 0, "the experiment is listed");
    return html.substring(start, html.indexOf("</li>", start));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  @Test
  void screeningDropsConfidentlyBadCandidatesButNeverShowsFewerThanTwo() throws Exception {
    // Every rating was at most 3, so every prediction is below 5: all candidates are confidently bad.
    restartWith(Map.of("PROMPTLAB__HTTP__SCREEN_BELOW_RATING", "5", "PROMPTLAB__HTTP__SCREEN_SIGMAS", "0"));
    JsonObject answer = upload(server.post("/api/enhance/train"), 400, 300);
    assertEquals("reward-model", answer.getString("selection"));
    assertEquals(2, answer.getJsonArray("options").size());
    List<JsonObject> all = adminView(answer.getString("experiment_id")).getJsonArray("candidates").stream()
      .map(JsonObject.class::cast).sorted(Comparator.comparingDouble(c -> -c.getDouble("predicted_rating")))
      .toList();
    assertEquals(4, all.size());
    all.forEach(c -> assertTrue(c.getBoolean("below_screen") && c.getDouble("predicted_rating") < 5, c.encode()));
    assertEquals(List.of("filler", "filler", "screened", "screened"),
      all.stream().map(c -> c.getString("role")).toList(), "the two best predicted fill the two places");
  }

  @Test
  void withoutTheRewardVerticleUploadsShowTwoOptionsAsBefore() throws Exception {
    restartWith(Map.of("PROMPTLAB__VERTICLES", "[\"metrics\", \"optimizer\", \"evolution\", \"generation\","
      + " \"http\"]"));
    JsonObject answer = upload(server.post("/api/enhance/train"), 400, 300);
    assertEquals("two-options", answer.getString("selection"));
    assertEquals("reward_not_running", answer.getString("selection_reason"));
    assertEquals(2, answer.getJsonArray("options").size());
    assertEquals(0, adminView(answer.getString("experiment_id")).getJsonArray("candidates").size());
  }

  @Test
  void switchedOffTheModelIsNotAskedAndTwoOptionsAreShown() throws Exception {
    restartWith(Map.of("PROMPTLAB__HTTP__BEST_OF_N", "2", "PROMPTLAB__HTTP__SCREEN_BELOW_RATING", "5"));
    JsonObject answer = upload(server.post("/api/enhance/train"), 400, 300);
    assertEquals("two-options", answer.getString("selection"));
    assertNull(answer.getValue("selection_reason"), "the model was not asked");
    assertEquals(List.of("A", "B"), answer.getJsonArray("options").stream()
      .map(o -> ((JsonObject) o).getString("option")).toList());
    assertEquals(0, adminView(answer.getString("experiment_id")).getJsonArray("candidates").size());
  }

  /** Restarts the server with the class's configuration and {@code overrides}, whatever a test before changed. */
  private static void restartWith(Map<String, String> overrides) throws Exception {
    server.environment.clear();
    server.environment.putAll(configuration);
    server.environment.putAll(overrides);
    server.restart();
  }

  private static JsonObject status() {
    return await(server.get("/api/train/status").send()).bodyAsJsonObject().getJsonObject("phase_2");
  }

  /** The experiment as the admin's history lists it. */
  private static JsonObject adminView(String experimentId) {
    HttpResponse<Buffer> history = await(server.get("/api/train/history?limit=500").send());
    assertEquals(200, history.statusCode(), history.bodyAsString());
    return history.bodyAsJsonObject().getJsonArray("experiments").stream().map(JsonObject.class::cast)
      .filter(e -> e.getString("experiment_id").equals(experimentId)).findFirst().orElseThrow();
  }

  private static HttpResponse<Buffer> uploadResponse(io.vertx.ext.web.client.HttpRequest<Buffer> request, int width,
                                                     int height) throws Exception {
    return await(request.sendMultipartForm(MultipartForm.create().attribute("mode", "structure")
      .binaryFileUpload("image", "room.png", Buffer.buffer(SampleImages.pngWithAlpha(width, height)), "image/png")));
  }

  private static JsonObject upload(io.vertx.ext.web.client.HttpRequest<Buffer> request, int width, int height)
    throws Exception {
    HttpResponse<Buffer> response = uploadResponse(request, width, height);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  /**
   * Rates each option by its strength, 1 (weakest) to 3: what the model has to learn. The top of the scale stays
   * far from 5, so no prediction reaches it (the screening test counts on that).
   */
  private static void rateByStrength(io.vertx.ext.web.client.HttpRequest<Buffer> request, JsonObject experiment) {
    JsonArray ratings = new JsonArray();
    for (Object o : experiment.getJsonArray("options")) {
      JsonObject option = (JsonObject) o;
      JsonObject p = option.getJsonObject("parameters");
      double strength = p.containsKey("init_strength") ? p.getDouble("init_strength") : p.getDouble("strength");
      ratings.add(new JsonObject().put("option", option.getString("option"))
        .put("rating", 1 + (int) Math.round(2 * (strength - 0.1) / 0.4)));
    }
    HttpResponse<Buffer> rated = await(request.sendJsonObject(new JsonObject()
      .put("experiment_id", experiment.getString("experiment_id")).put("rated_by", "ana@example.com")
      .put("ratings", ratings)));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
  }
}
