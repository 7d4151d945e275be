package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.PredictRatingRequest;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reward model's API: the models and a retraining for admins, predictions of a stored variant for the trainer
 * who made it, and the reward verticle's refusals passed on as API errors.
 */
class RewardApiTest extends HttpTestBase {

  @AfterEach
  void resetFakes() {
    fakes.reset();
  }

  @Test
  void aTrainerGetsThePredictedRatingOfTheirVariant() throws Exception {
    JsonObject experiment = upload();
    JsonObject option = experiment.getJsonArray("options").getJsonObject(0);
    String publicId = option.getString("url").substring("/images/".length());
    HttpResponse<Buffer> response = await(trainer(HttpMethod.POST, "/api/ml/predict_rating")
      .sendJsonObject(new JsonObject().put("image_id", publicId)));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(3.7, body.getDouble("predicted_rating"));
    assertEquals(0.6, body.getDouble("uncertainty"));
    assertEquals(2, body.getLong("model_version"));
    assertEquals(publicId, body.getString("image_id"));
    PredictRatingRequest asked = fakes.predictions.get(0);
    assertEquals(option.getLong("image_id"), asked.variantImageId());
    assertEquals(TestDatabase.count("SELECT original_image_id FROM experiments WHERE id = '"
      + experiment.getString("experiment_id") + "'"), asked.originalImageId());
    assertEquals(TRAINER_EMAIL, asked.rater());
    assertEquals(option.getJsonObject("parameters").getString("api"), asked.parameters().api());
    assertEquals(option.getString("prompt_version"), asked.promptVersion());
  }

  @Test
  void badOrUnknownIdsAndAMissingModelAreClearErrors() throws Exception {
    HttpResponse<Buffer> missing = await(trainer(HttpMethod.POST, "/api/ml/predict_rating")
      .sendJsonObject(new JsonObject()));
    assertEquals(400, missing.statusCode(), missing.bodyAsString());
    assertTrue(missing.bodyAsString().contains("image_id"), missing.bodyAsString());
    HttpResponse<Buffer> unknown = await(trainer(HttpMethod.POST, "/api/ml/predict_rating")
      .sendJsonObject(new JsonObject().put("image_id", "AAAAAAAAAAAAAAAAAAAAAA")));
    assertEquals(404, unknown.statusCode(), unknown.bodyAsString());
    JsonObject experiment = upload();
    String original = experiment.getString("original_url");
    assertTrue(original.startsWith("/images/"), original);
    fakes.rewardModelTrained = false;
    String variant = experiment.getJsonArray("options").getJsonObject(0).getString("url").substring(8);
    HttpResponse<Buffer> noModel = await(trainer(HttpMethod.POST, "/api/ml/predict_rating")
      .sendJsonObject(new JsonObject().put("image_id", variant)));
    assertEquals(404, noModel.statusCode(), noModel.bodyAsString());
    assertTrue(noModel.bodyAsString().contains("no reward model has been trained yet"), noModel.bodyAsString());
    HttpResponse<Buffer> notAVariant = await(trainer(HttpMethod.POST, "/api/ml/predict_rating")
      .sendJsonObject(new JsonObject().put("image_id", original.substring(8))));
    assertEquals(404, notAVariant.statusCode(), "an original is not an enhanced variant");
  }

  @Test
  void anUploadedImageGetsItsFeaturesAndOtherFilesAreRefused() throws Exception {
    byte[] png = pngWithAlpha();
    HttpResponse<Buffer> features = await(trainer(HttpMethod.POST, "/api/ml/extract_features").sendMultipartForm(
      MultipartForm.create().binaryFileUpload("image", "render.png", Buffer.buffer(png), "image/png")));
    assertEquals(200, features.statusCode(), features.bodyAsString());
    assertEquals(1, features.bodyAsJsonObject().getInteger("extractor_version"));
    assertEquals(png.length, features.bodyAsJsonObject().getJsonObject("features").getDouble("size_bytes"));
    HttpResponse<Buffer> text = await(trainer(HttpMethod.POST, "/api/ml/extract_features").sendMultipartForm(
      MultipartForm.create().binaryFileUpload("image", "notes.txt", Buffer.buffer("not an image"), "text/plain")));
    assertEquals(415, text.statusCode(), text.bodyAsString());
    HttpResponse<Buffer> none = await(trainer(HttpMethod.POST, "/api/ml/extract_features").sendMultipartForm(
      MultipartForm.create().attribute("mode", "structure")));
    assertEquals(400, none.statusCode(), none.bodyAsString());
    assertTrue(none.bodyAsString().contains("image"), none.bodyAsString());
  }

  @Test
  void adminsListTheModelsAndRetrainTrainersMayNot() {
    HttpResponse<Buffer> models = await(as(ADMIN_ACCOUNT_TOKEN, HttpMethod.GET, "/api/ml/models").send());
    assertEquals(200, models.statusCode(), models.bodyAsString());
    assertEquals(0.84, models.bodyAsJsonObject().getJsonArray("models").getJsonObject(0)
      .getDouble("pairwise_accuracy"));
    HttpResponse<Buffer> retrained = await(as(ADMIN_ACCOUNT_TOKEN, HttpMethod.POST, "/api/ml/retrain").send());
    assertEquals(200, retrained.statusCode(), retrained.bodyAsString());
    assertEquals(2, retrained.bodyAsJsonObject().getLong("version"));
    assertEquals("retrain by " + ADMIN_EMAIL, fakes.adminActions.get(0));
    assertEquals(403, await(trainer(HttpMethod.GET, "/api/ml/models").send()).statusCode());
    assertEquals(403, await(trainer(HttpMethod.POST, "/api/ml/retrain").send()).statusCode());
  }

  private static JsonObject upload() throws Exception {
    HttpResponse<Buffer> response = await(trainer(HttpMethod.POST, "/api/enhance/train").sendMultipartForm(
      MultipartForm.create().binaryFileUpload("image", "render.png", Buffer.buffer(pngWithAlpha()), "image/png")
        .attribute("mode", "structure")));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }
}
