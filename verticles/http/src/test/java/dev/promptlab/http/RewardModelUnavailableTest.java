package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.PredictedRating;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.PromptText;
import dev.promptlab.contract.RewardStatus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With best-of-N switched on, a reward verticle that does not answer, answers too late, fails or has no active
 * model never costs the upload: it shows two options, says why the model did not choose, and keeps the extra
 * candidates it rendered. A pair an A/B test claimed is not the model's to pick. A second http instance with {@code best_of_n: 4} runs beside the shared one; the reward
 * verticle's two addresses are answered here.
 */
class RewardModelUnavailableTest extends HttpTestBase {

  private static final long REWARD_TIMEOUT_MS = 300;
  private final List<MessageConsumer<?>> reward = new ArrayList<>();
  private String deployment;
  private WebClient bestOfN;

  @BeforeEach
  void deployWithBestOfN() {
    await(fakes.silence(Addresses.REWARD_STATUS));
    await(fakes.silence(Addresses.REWARD_PREDICT));
    HttpVerticle verticle = new HttpVerticle();
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("db", dev.promptlab.testkit
        .TestDatabase.pgOptions()).put("webroot", Path.of("../../webroot").toString())
      .put("uploads_dir", uploads.toString()).put("max_upload_bytes", MAX_UPLOAD).put("admin_token", ADMIN_TOKEN)
      .put("bus_timeout_ms", 10_000).put("optimizer_timeout_ms", 3_000).put("password_iterations", 1_000)
      .put("best_of_n", 4).put("reward_timeout_ms", REWARD_TIMEOUT_MS);
    deployment = await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
    bestOfN = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(verticle.actualPort()));
  }

  @AfterEach
  void undeploy() {
    reward.forEach(consumer -> await(consumer.unregister()));
    bestOfN.close();
    await(vertx.undeploy(deployment));
    await(fakes.restore(Addresses.REWARD_STATUS));
    await(fakes.restore(Addresses.REWARD_PREDICT));
    await(fakes.restore(Addresses.EVOLUTION_ASSIGN));
  }

  private void statusAnswers(boolean active) {
    reward.add(vertx.eventBus().consumer(Addresses.REWARD_STATUS, msg -> msg.reply(new RewardStatus(active, 80, null,
      active ? "active" : "collecting data", null, 0).toJson())));
  }

  private JsonObject upload() throws Exception {
    HttpResponse<Buffer> response = await(bestOfN.post("/api/enhance/train").bearerTokenAuthentication(TRAINER_TOKEN)
      .sendMultipartForm(MultipartForm.create().attribute("mode", "structure")
        .binaryFileUpload("image", "room.png", Buffer.buffer(pngWithAlpha()), "image/png")));
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("two-options", body.getString("selection"));
    assertEquals(2, body.getJsonArray("options").size());
    return body;
  }

  @Test
  void noRewardVerticleMeansTwoOptionsAndTheReasonSaysSo() throws Exception {
    JsonObject answer = upload();
    assertEquals("reward_not_running", answer.getString("selection_reason"));
    assertEquals(2, fakes.generateRequests.size(), "only the two shown were rendered");
    assertEquals(0, rows("experiment_candidates"));
  }

  @Test
  void aStatusThatComesTooLateMeansTwoOptions() throws Exception {
    reward.add(vertx.eventBus().consumer(Addresses.REWARD_STATUS, msg -> { }));
    JsonObject answer = upload();
    assertEquals("reward_timeout", answer.getString("selection_reason"));
    assertEquals(2, fakes.generateRequests.size());
  }

  @Test
  void anInactiveModelMeansTwoOptions() throws Exception {
    statusAnswers(false);
    assertEquals("reward_model_inactive", upload().getString("selection_reason"));
    assertEquals(2, fakes.generateRequests.size());
  }

  @Test
  void predictionsThatComeTooLateShowTheFirstTwoCandidatesAndKeepTheOthersUnjudged() throws Exception {
    statusAnswers(true);
    reward.add(vertx.eventBus().consumer(Addresses.REWARD_PREDICT, msg -> { }));
    JsonObject answer = upload();
    assertEquals("reward_timeout", answer.getString("selection_reason"));
    assertEquals(4, fakes.generateRequests.size(), "the candidates were rendered before the model was asked");
    String experiment = answer.getString("experiment_id");
    assertEquals(4, dev.promptlab.testkit.TestDatabase.count("SELECT count(*) FROM experiment_candidates"
      + " WHERE experiment_id = '" + experiment + "' AND predicted_rating IS NULL"));
    assertEquals(2, dev.promptlab.testkit.TestDatabase.count("SELECT count(*) FROM experiment_candidates"
      + " WHERE experiment_id = '" + experiment + "' AND role = 'filler' AND candidate <= 2"));
    assertEquals(0, dev.promptlab.testkit.TestDatabase.count("SELECT count(*) FROM experiments"
      + " WHERE id = '" + experiment + "' AND selection <> 'two-options'"));
  }

  @Test
  void aFailedPredictionOrAModelThatStoppedBeingActiveMeansTwoOptions() throws Exception {
    statusAnswers(true);
    MessageConsumer<JsonObject> failing = vertx.eventBus().consumer(Addresses.REWARD_PREDICT,
      msg -> msg.fail(FailureCodes.INTERNAL, "the model file is unreadable"));
    reward.add(failing);
    assertEquals("reward_failed", upload().getString("selection_reason"));
    await(failing.unregister());
    reward.remove(failing);
    reward.add(vertx.eventBus().consumer(Addresses.REWARD_PREDICT,
      msg -> msg.reply(new PredictedRating(3.0, 0.5, 7, false).toJson())));
    JsonObject answer = upload();
    assertEquals("reward_model_inactive", answer.getString("selection_reason"));
    assertNull(answer.getValue("predicted_rating"));
    assertTrue(rows("experiment_candidates") >= 8, "both uploads kept their four candidates");
  }

  @Test
  void aPairClaimedByAnAbTestIsNotPickedByTheModel() throws Exception {
    statusAnswers(true);
    dev.promptlab.testkit.TestDatabase.execute("INSERT INTO prompt_versions (version, document, is_current, created_at)"
      + " VALUES ('v1.1.0', '{}', false, now())");
    long abTest = dev.promptlab.testkit.TestDatabase.count("INSERT INTO ab_tests (control_version, candidate_version,"
      + " status, samples_per_arm) VALUES ('" + FakeNeighbours.PROMPT_VERSION + "', 'v1.1.0', 'running', 5)"
      + " RETURNING id");
    await(fakes.silence(Addresses.EVOLUTION_ASSIGN));
    reward.add(vertx.eventBus().<JsonObject>consumer(Addresses.EVOLUTION_ASSIGN, msg -> {
      List<PromptAssignment> arms = new ArrayList<>();
      for (int i = 0; i < msg.body().getInteger("count"); i++) {
        arms.add(new PromptAssignment(FakeNeighbours.PROMPT_VERSION, new PromptText("interior", "cartoon"),
          new PromptText("interior, sd", "sketch"), abTest));
      }
      msg.reply(new AssignReply(arms).toJson());
    }));
    JsonObject answer = upload();
    assertEquals("ab_test", answer.getString("selection_reason"), "nobody was asked for a prediction");
    assertEquals(2, fakes.generateRequests.size());
    assertEquals(0, rows("experiment_candidates"));
  }

  @Test
  void whenEveryCandidateFailsTheTwoShownAreFailedOptionsToRetry() throws Exception {
    statusAnswers(true);
    fakes.failingApi = "*";
    HttpResponse<Buffer> response = await(bestOfN.post("/api/enhance/train").bearerTokenAuthentication(TRAINER_TOKEN)
      .sendMultipartForm(MultipartForm.create().attribute("mode", "structure")
        .binaryFileUpload("image", "room.png", Buffer.buffer(pngWithAlpha()), "image/png")));
    assertEquals(502, response.statusCode(), response.bodyAsString());
    JsonObject details = response.bodyAsJsonObject().getJsonObject("error").getJsonObject("details");
    assertEquals("two-options", details.getString("selection"), "no prediction chose anything");
    assertEquals(2, details.getJsonArray("options").size());
    assertEquals(4, rows("experiment_candidates"), "every failed candidate is kept");
    assertEquals(2, dev.promptlab.testkit.TestDatabase.count("SELECT count(*) FROM experiment_candidates"
      + " WHERE role = 'filler' AND image_id IS NULL AND error IS NOT NULL"));
  }
}
