package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every refusal is a clear JSON 4xx (or a mapped 5xx) and leaves the database as it was. */
class ErrorPathsTest extends HttpTestBase {

  private JsonObject experiment() throws Exception {
    HttpResponse<Buffer> response = upload(pngWithAlpha(), "r.png", "image/png", "structure");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static JsonObject oneRating(String experimentId, Object rating) {
    return new JsonObject().put("experiment_id", experimentId)
      .put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("rating", rating)));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("content-type").startsWith("application/json"), response.getHeader("content-type"));
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(code, error.getString("code"));
    assertTrue(error.getString("message").length() > 5, error.getString("message"));
  }

  private static void assertNothingRated() {
    assertEquals(0, rows("ratings"));
    assertEquals(List.of(), fakes.ratingsEvents);
  }

  @Test
  void badJsonIsRefused() throws Exception {
    experiment();
    for (String body : List.of("{\"experiment_id\": ", "not json", "[1, 2]", "")) {
      assertError(await(trainer(HttpMethod.POST, "/api/train/rate").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body))), 400, "invalid_request");
    }
    assertNothingRated();
  }

  @Test
  void ratingsOutsideOneToFiveOrNotIntegersAreRefused() throws Exception {
    String id = experiment().getString("experiment_id");
    for (Object rating : new Object[] {0, 6, 3.5, "4", -1, 1e12}) {
      assertError(rate(oneRating(id, rating)), 400, "invalid_request");
    }
    assertError(rate(new JsonObject().put("experiment_id", id)
      .put("ratings", new JsonArray().add(new JsonObject().put("option", "A")))), 400, "invalid_request");
    assertError(rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray())), 400, "invalid_request");
    assertError(rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("rating", 4).put("comments", "x".repeat(2001))))),
      400, "invalid_request");
    assertNothingRated();
  }

  @Test
  void unknownExperimentIsNotFound() {
    assertError(rate(oneRating("exp_doesnotexist1", 4)), 404, "not_found");
    assertError(rate(oneRating("../etc/passwd", 4)), 400, "invalid_request");
    assertNothingRated();
  }

  @Test
  void optionsAndImagesMustBelongToTheExperiment() throws Exception {
    JsonObject experiment = experiment();
    String id = experiment.getString("experiment_id");
    assertError(rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "C").put("rating", 4)))), 400, "invalid_request");
    assertError(rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("image_id", 999_999).put("rating", 4)))), 400, "invalid_request");
    long imageOfB = experiment.getJsonArray("options").getJsonObject(1).getLong("image_id");
    assertError(rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("image_id", imageOfB).put("rating", 4)))), 400, "invalid_request");
    assertError(rate(new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("rating", 4))
      .add(new JsonObject().put("option", "A").put("rating", 4)))), 400, "invalid_request");
    assertNothingRated();
  }

  @Test
  void anIdenticalRepeatIsIdempotentAndAConflictingOneIsRefused() throws Exception {
    String id = experiment().getString("experiment_id");
    JsonObject submission = new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("rating", 4).put("comments", "  flat light "))
      .add(new JsonObject().put("option", "B").put("rating", 2)));
    HttpResponse<Buffer> first = rate(submission);
    assertEquals(200, first.statusCode());
    HttpResponse<Buffer> again = rate(submission);
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertTrue(again.bodyAsJsonObject().getBoolean("success"));
    assertTrue(again.bodyAsJsonObject().getBoolean("duplicate"));
    assertEquals(2, again.bodyAsJsonObject().getInteger("samples_collected"));
    assertEquals(2, rows("ratings"));
    assertEquals(2, fakes.observed.size(), "the optimizer learnt the two ratings once");
    assertEquals(1, fakes.ratingsEvents.size(), "the repeat published nothing");

    assertError(rate(oneRating(id, 5)), 409, "conflict");
    JsonObject otherComment = new JsonObject().put("experiment_id", id).put("ratings", new JsonArray()
      .add(new JsonObject().put("option", "A").put("rating", 4).put("comments", "different")));
    assertError(rate(otherComment), 409, "conflict");
    assertEquals(2, rows("ratings"));
    assertEquals(4, TestDatabase.count("SELECT rating FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
      + " WHERE o.option = 'A'"));
  }

  @Test
  void simultaneousIdenticalSubmissionsStoreOnce() throws Exception {
    String id = experiment().getString("experiment_id");
    JsonObject submission = oneRating(id, 3);
    List<Future<HttpResponse<Buffer>>> sent = List.of(
      trainer(HttpMethod.POST, "/api/train/rate").sendJsonObject(submission),
      trainer(HttpMethod.POST, "/api/train/rate").sendJsonObject(submission),
      trainer(HttpMethod.POST, "/api/train/rate").sendJsonObject(submission));
    await(Future.join(sent));
    sent.forEach(f -> assertEquals(200, f.result().statusCode(), f.result().bodyAsString()));
    assertEquals(1, rows("ratings"));
    assertEquals(1, fakes.ratingsEvents.size());
    assertEquals(1, fakes.observed.size());
  }

  @Test
  void aTextFileIsNotAnImage() {
    byte[] text = "just some notes, not a render\n".getBytes(StandardCharsets.UTF_8);
    assertError(upload(text, "notes.png", "image/png", "structure"), 415, "unsupported_media");
    assertEquals(0, rows("experiments"));
    assertEquals(0, rows("images"));
  }

  @Test
  void anOversizedUploadIsRefusedByTheBodyLimit() {
    byte[] big = new byte[(int) MAX_UPLOAD + 1024];
    big[0] = (byte) 0x89;
    assertError(upload(big, "huge.png", "image/png", "structure"), 413, "too_large");
    assertEquals(0, rows("experiments"));
    assertEquals(0, rows("images"));
  }

  @Test
  void uploadFieldsAreValidated() throws Exception {
    assertError(upload(pngWithAlpha(), "r.png", "image/png", "kitchen"), 400, "invalid_request");
    io.vertx.ext.web.multipart.MultipartForm noImage = io.vertx.ext.web.multipart.MultipartForm.create()
      .attribute("mode", "structure");
    assertError(await(trainer(HttpMethod.POST, "/api/enhance/train").sendMultipartForm(noImage)), 400,
      "invalid_request");
    assertEquals(0, rows("experiments"));
  }

  @Test
  void historyAndStatusFiltersAreValidated() {
    for (String query : List.of("limit=0", "limit=501", "limit=ten", "min_rating=0", "min_rating=5.5",
      "min_rating=x", "api=dalle", "mode=kitchen")) {
      assertError(get("/api/train/history?" + query), 400, "invalid_request");
    }
    assertEquals(200, get("/api/train/history?limit=500&min_rating=3.5&api=leonardo&mode=surfaces").statusCode());
    assertError(get("/api/train/status?mode=kitchen"), 400, "invalid_request");
  }

  @Test
  void unknownRoutesAndImagesAreJsonNotFound() {
    assertError(get("/api/nothing/here"), 404, "not_found");
    assertError(await(trainer(HttpMethod.DELETE, "/api/train/rate").send()), 404, "not_found");
    assertError(get("/images/424242"), 404, "not_found");
    assertError(get("/images/abc"), 404, "not_found");
  }

  @Test
  void adminRoutesNeedAnAdmin() {
    String path = "/api/admin/verticles/optimizer/redeploy";
    assertError(await(client.post(path).send()), 401, "unauthorized");
    assertError(await(client.post(path).putHeader("authorization", "Bearer wrong-token").send()), 401, "unauthorized");
    assertError(await(client.post(path).putHeader("authorization", "Basic " + ADMIN_TOKEN).send()), 401, "unauthorized");
    assertError(await(trainer(HttpMethod.POST, path).send()), 403, "forbidden");
    assertEquals(200, await(as(ADMIN_ACCOUNT_TOKEN, HttpMethod.POST, path).send()).statusCode());
    HttpResponse<Buffer> ok = await(client.post(path).putHeader("authorization", "Bearer " + ADMIN_TOKEN).send());
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("optimizer", ok.bodyAsJsonObject().getString("verticle"));
    assertError(await(client.post("/api/admin/verticles/..%2Fx/redeploy")
      .putHeader("authorization", "Bearer " + ADMIN_TOKEN).send()), 400, "invalid_request");
  }

  @Test
  void anUnansweredNeighbourIsAClearServiceError() throws Exception {
    await(fakes.silence(Addresses.GENERATION_STORE_ORIGINAL));
    try {
      assertError(upload(pngWithAlpha(), "r.png", "image/png", "structure"), 503, "unavailable");
    } finally {
      await(fakes.restore(Addresses.GENERATION_STORE_ORIGINAL));
    }
    assertEquals(0, rows("experiments"));
  }
}
