package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.http.accounts.PasswordHasher;
import dev.promptlab.http.accounts.Secrets;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may see and rate what: an experiment, its images and its comments belong to the trainer who created it;
 * admins (accounts and the operator's token) reach every experiment; image URLs carry an unguessable public id.
 */
class ExperimentVisibilityTest extends HttpTestBase {

  private static final String COLLEAGUE_EMAIL = "colleague@example.com";
  private static final String COLLEAGUE_TOKEN = "colleague-api-token-for-tests-000000000";
  private static final String PUBLIC_URL = "/images/[A-Za-z0-9_-]{22}";

  @BeforeEach
  void colleague() {
    TestDatabase.execute("INSERT INTO trainers (email, password_hash) VALUES ('" + COLLEAGUE_EMAIL + "', '"
      + new PasswordHasher(1_000).hash(PASSWORD) + "')");
    TestDatabase.execute("INSERT INTO api_tokens (trainer_id, name, token_hash) SELECT id, 'tests', '"
      + Secrets.digest(COLLEAGUE_TOKEN) + "' FROM trainers WHERE email = '" + COLLEAGUE_EMAIL + "'");
  }

  private static JsonObject uploadAs(String token) throws Exception {
    MultipartForm form = MultipartForm.create()
      .binaryFileUpload("image", "render.png", Buffer.buffer(pngWithAlpha()), "image/png").attribute("mode", "structure");
    HttpResponse<Buffer> response = await(as(token, HttpMethod.POST, "/api/enhance/train").sendMultipartForm(form));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> getAs(String token, String uri) {
    return await(as(token, HttpMethod.GET, uri).send());
  }

  private static HttpResponse<Buffer> rateAs(String token, JsonObject experiment, int ratingA, String commentA) {
    JsonObject a = experiment.getJsonArray("options").getJsonObject(0);
    return await(as(token, HttpMethod.POST, "/api/train/rate").sendJsonObject(new JsonObject()
      .put("experiment_id", experiment.getString("experiment_id"))
      .put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("image_id", a.getLong("image_id"))
        .put("rating", ratingA).put("comments", commentA)))));
  }

  private static List<String> urls(JsonObject experiment) {
    JsonArray options = experiment.getJsonArray("options");
    return List.of(experiment.getString("original_url"), options.getJsonObject(0).getString("url"),
      options.getJsonObject(1).getString("url"));
  }

  @Test
  void imageUrlsCarryAnUnguessablePublicIdAndNoNumericId() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      JsonObject experiment = uploadAs(TRAINER_TOKEN);
      for (String url : urls(experiment)) {
        assertTrue(url.matches(PUBLIC_URL), url);
        assertTrue(seen.add(url), "every image has its own URL: " + url);
      }
      // image_id stays in the JSON (a rating names it) but never in a URL.
      for (Object option : experiment.getJsonArray("options")) {
        JsonObject o = (JsonObject) option;
        assertNotEquals("/images/" + o.getLong("image_id"), o.getString("url"), o.encode());
      }
    }
    assertEquals(9, TestDatabase.count("SELECT count(DISTINCT public_id) FROM images"));
  }

  @Test
  void imagesAreServedToTheirOwnerAndAdminsOnly() throws Exception {
    JsonObject experiment = uploadAs(TRAINER_TOKEN);
    for (String url : urls(experiment)) {
      HttpResponse<Buffer> owner = getAs(TRAINER_TOKEN, url);
      assertEquals(200, owner.statusCode(), url);
      assertArrayEquals(pngWithAlpha(), owner.body().getBytes());
      assertEquals(200, getAs(ADMIN_ACCOUNT_TOKEN, url).statusCode(), url);
      assertEquals(200, getAs(ADMIN_TOKEN, url).statusCode(), url);
      // A colleague holding the URL learns nothing: the same 404 as an id that does not exist.
      HttpResponse<Buffer> colleague = getAs(COLLEAGUE_TOKEN, url);
      assertEquals(404, colleague.statusCode(), url);
      assertEquals("not_found", colleague.bodyAsJsonObject().getJsonObject("error").getString("code"));
      assertEquals(401, await(client.get(url).send()).statusCode());
    }
    assertEquals(404, getAs(TRAINER_TOKEN, "/images/AAAAAAAAAAAAAAAAAAAAAA").statusCode(), "well-formed, unknown");
    assertEquals(404, getAs(TRAINER_TOKEN, "/images/AAAAAAAAAAAAAAAAAAAAA%2F").statusCode(), "not the public shape");
  }

  @Test
  void aColleaguesVariantGetsNoPredictionAndItsOwnerAndAdminsDo() throws Exception {
    JsonObject experiment = uploadAs(TRAINER_TOKEN);
    String variant = experiment.getJsonArray("options").getJsonObject(0).getString("url").substring("/images/".length());
    JsonObject body = new JsonObject().put("image_id", variant);
    assertEquals(404, await(as(COLLEAGUE_TOKEN, HttpMethod.POST, "/api/ml/predict_rating").sendJsonObject(body))
      .statusCode(), "a colleague's variant is answered like an unknown one");
    assertEquals(200, await(as(TRAINER_TOKEN, HttpMethod.POST, "/api/ml/predict_rating").sendJsonObject(body))
      .statusCode());
    assertEquals(200, await(as(ADMIN_ACCOUNT_TOKEN, HttpMethod.POST, "/api/ml/predict_rating").sendJsonObject(body))
      .statusCode());
  }

  @Test
  void theNumericImageRouteServesNobody() throws Exception {
    JsonObject experiment = uploadAs(TRAINER_TOKEN);
    long imageId = experiment.getJsonArray("options").getJsonObject(0).getLong("image_id");
    for (String token : new String[] {TRAINER_TOKEN, ADMIN_ACCOUNT_TOKEN, ADMIN_TOKEN}) {
      HttpResponse<Buffer> numeric = getAs(token, "/images/" + imageId);
      assertEquals(404, numeric.statusCode(), token);
      assertEquals("not_found", numeric.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
  }

  @Test
  void onlyTheCreatorRatesAndAColleagueDoesNotBlockThem() throws Exception {
    JsonObject experiment = uploadAs(TRAINER_TOKEN);
    HttpResponse<Buffer> colleague = rateAs(COLLEAGUE_TOKEN, experiment, 1, "worse than mine");
    assertEquals(403, colleague.statusCode(), colleague.bodyAsString());
    JsonObject error = colleague.bodyAsJsonObject().getJsonObject("error");
    assertEquals("forbidden", error.getString("code"));
    assertTrue(error.getString("message").contains("created by another trainer"), error.encode());
    assertEquals(0, rows("ratings"));

    HttpResponse<Buffer> owner = rateAs(TRAINER_TOKEN, experiment, 4, "good depth");
    assertEquals(200, owner.statusCode(), owner.bodyAsString());
    assertEquals(1, rows("ratings"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ratings WHERE rated_by = '" + TRAINER_EMAIL + "'"));
  }

  @Test
  void adminsAndTheOperatorTokenRateAnyExperiment() throws Exception {
    JsonObject byAccount = uploadAs(TRAINER_TOKEN);
    assertEquals(200, rateAs(ADMIN_ACCOUNT_TOKEN, byAccount, 3, "admin review").statusCode());
    JsonObject byScript = uploadAs(COLLEAGUE_TOKEN);
    JsonObject a = byScript.getJsonArray("options").getJsonObject(0);
    HttpResponse<Buffer> scripted = await(as(ADMIN_TOKEN, HttpMethod.POST, "/api/train/rate").sendJsonObject(
      new JsonObject().put("experiment_id", byScript.getString("experiment_id")).put("rated_by", "script@example.com")
        .put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("image_id", a.getLong("image_id"))
          .put("rating", 5)))));
    assertEquals(200, scripted.statusCode(), scripted.bodyAsString());
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ratings WHERE rated_by = 'script@example.com'"));
    // An experiment the operator token created has no trainer: admins only.
    JsonObject operators = uploadAs(ADMIN_TOKEN);
    assertEquals(403, rateAs(TRAINER_TOKEN, operators, 4, null).statusCode());
    assertEquals(200, rateAs(ADMIN_ACCOUNT_TOKEN, operators, 4, null).statusCode());
  }

  @Test
  void onlyTheCreatorOrAnAdminRetriesAFailedVariant() throws Exception {
    fakes.failingApi = "stablediffusion";
    JsonObject experiment = uploadAs(TRAINER_TOKEN);
    String failed = experiment.getJsonArray("options").stream().map(JsonObject.class::cast)
      .filter(o -> "failed".equals(o.getString("status"))).findFirst().orElseThrow().getString("option");
    fakes.failingApi = null;
    String path = "/api/train/experiments/" + experiment.getString("experiment_id") + "/options/" + failed + "/retry";
    HttpResponse<Buffer> colleague = await(as(COLLEAGUE_TOKEN, HttpMethod.POST, path).send());
    assertEquals(403, colleague.statusCode(), colleague.bodyAsString());
    assertEquals("forbidden", colleague.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM experiment_options WHERE status = 'failed'"));

    HttpResponse<Buffer> owner = await(as(TRAINER_TOKEN, HttpMethod.POST, path).send());
    assertEquals(200, owner.statusCode(), owner.bodyAsString());
    String url = owner.bodyAsJsonObject().getString("url");
    assertTrue(url.matches(PUBLIC_URL), url);
    assertEquals(200, getAs(TRAINER_TOKEN, url).statusCode());
    assertEquals(404, getAs(COLLEAGUE_TOKEN, url).statusCode());
  }

  @Test
  void trainersSeeTheirOwnHistoryAndAdminsEveryones() throws Exception {
    JsonObject mine = uploadAs(TRAINER_TOKEN);
    assertEquals(200, rateAs(TRAINER_TOKEN, mine, 5, "my secret comment").statusCode());
    JsonObject theirs = uploadAs(COLLEAGUE_TOKEN);
    assertEquals(200, rateAs(COLLEAGUE_TOKEN, theirs, 1, "their private comment").statusCode());

    JsonObject trainerView = getAs(TRAINER_TOKEN, "/api/train/history").bodyAsJsonObject();
    assertEquals(List.of(mine.getString("experiment_id")), experimentIds(trainerView));
    assertEquals(1, trainerView.getJsonObject("analytics").getInteger("total_samples"));
    assertEquals(5.0, trainerView.getJsonObject("analytics").getDouble("avg_rating"));
    assertFalse(trainerView.encode().contains("their private comment"));
    JsonObject listed = trainerView.getJsonArray("experiments").getJsonObject(0);
    assertEquals(mine.getString("original_url"), listed.getString("original_url"));
    assertEquals(mine.getJsonArray("options").getJsonObject(0).getString("url"),
      listed.getJsonArray("options").getJsonObject(0).getString("url"));

    JsonObject colleagueView = getAs(COLLEAGUE_TOKEN, "/api/train/history").bodyAsJsonObject();
    assertEquals(List.of(theirs.getString("experiment_id")), experimentIds(colleagueView));
    assertEquals(1.0, colleagueView.getJsonObject("analytics").getDouble("avg_rating"));

    for (String admin : new String[] {ADMIN_ACCOUNT_TOKEN, ADMIN_TOKEN}) {
      JsonObject adminView = getAs(admin, "/api/train/history").bodyAsJsonObject();
      assertEquals(Set.of(mine.getString("experiment_id"), theirs.getString("experiment_id")),
        Set.copyOf(experimentIds(adminView)));
      assertEquals(2, adminView.getJsonObject("analytics").getInteger("total_samples"));
    }
  }

  private static List<String> experimentIds(JsonObject history) {
    return history.getJsonArray("experiments").stream().map(JsonObject.class::cast)
      .map(e -> e.getString("experiment_id")).toList();
  }

  @Test
  void theHistoryPageShowsATrainerTheirOwnExperimentsOnly() throws Exception {
    JsonObject mine = uploadAs(TRAINER_TOKEN);
    assertEquals(200, rateAs(TRAINER_TOKEN, mine, 4, "mi comentario").statusCode());
    JsonObject theirs = uploadAs(COLLEAGUE_TOKEN);
    assertEquals(200, rateAs(COLLEAGUE_TOKEN, theirs, 2, "comentario ajeno").statusCode());

    BrowserSession trainer = BrowserSession.login(client, TRAINER_EMAIL, PASSWORD);
    String html = await(trainer.page(HttpMethod.GET, "/history").send()).bodyAsString();
    assertTrue(html.contains(mine.getString("original_url")), html);
    assertTrue(html.contains("mi comentario"));
    assertFalse(html.contains(theirs.getString("experiment_id")));
    assertFalse(html.contains("comentario ajeno"));
    for (String url : urls(theirs)) {
      assertFalse(html.contains(url), url);
    }
    assertFalse(html.matches("(?s).*src=\"/images/\\d+\".*"), "no numeric image URL on the page");

    BrowserSession admin = BrowserSession.login(client, ADMIN_EMAIL, PASSWORD);
    String adminHtml = await(admin.page(HttpMethod.GET, "/history").send()).bodyAsString();
    assertTrue(adminHtml.contains("comentario ajeno") && adminHtml.contains("mi comentario"));
  }

  @Test
  void aColleagueRatingOnThePageIsRefusedInThePagesLanguage() throws Exception {
    JsonObject experiment = uploadAs(TRAINER_TOKEN);
    JsonObject a = experiment.getJsonArray("options").getJsonObject(0);
    BrowserSession colleague = BrowserSession.login(client, COLLEAGUE_EMAIL, PASSWORD);
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("experiment_id", experiment.getString("experiment_id"))
      .add("image_id_A", String.valueOf(a.getLong("image_id"))).add("rating_A", "1").add("comments_A", "");

    HttpResponse<Buffer> spanish = await(colleague.htmx(HttpMethod.POST, "/ui/rate").sendForm(form));
    assertEquals(403, spanish.statusCode());
    assertEquals("#messages", spanish.getHeader("HX-Retarget"));
    assertTrue(spanish.bodyAsString().contains("Este experimento lo creó otro entrenador"), spanish.bodyAsString());
    assertFalse(spanish.bodyAsString().contains("created by another trainer"), "no English on a Spanish page");

    HttpResponse<Buffer> english = await(colleague.htmx(HttpMethod.POST, "/ui/rate?lang=en").sendForm(form));
    assertEquals(403, english.statusCode());
    assertTrue(english.bodyAsString().contains("This experiment was created by another trainer"),
      english.bodyAsString());
    assertEquals(0, rows("ratings"));
    assertNotEquals(0, rows("experiments"));
  }
}
