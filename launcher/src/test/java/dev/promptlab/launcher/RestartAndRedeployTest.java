package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.testkit.BackToBackProbes;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.SampleImages;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The default set-up a new user gets (embedded PostgreSQL under the data directory): everything
 * survives a restart, and verticles are redeployed while the server keeps answering.
 */
@ExtendWith(BlockedThreadGuard.class)
class RestartAndRedeployTest {

  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(null, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void experimentsRatingsAndImagesSurviveARestart() throws Exception {
    JsonObject experiment = TrainingLoopTest.upload(server, SampleImages.pngWithAlpha(400, 300), "room.png", "image/png",
      "surfaces").bodyAsJsonObject();
    assertEquals(200, TrainingLoopTest.rate(server, TrainingLoopTest.ratingBody(experiment, 5, 3)).statusCode());
    String url = experiment.getJsonArray("options").getJsonObject(0).getString("url");
    Buffer image = await(server.get(url).send()).body();
    int samples = status().getJsonObject("phase_1").getInteger("samples_collected");

    server.restart();

    assertEquals(samples, status().getJsonObject("phase_1").getInteger("samples_collected"));
    JsonObject history = await(server.get("/api/train/history?mode=surfaces").send()).bodyAsJsonObject();
    JsonObject listed = history.getJsonArray("experiments").stream().map(JsonObject.class::cast)
      .filter(e -> e.getString("experiment_id").equals(experiment.getString("experiment_id"))).findFirst().orElseThrow();
    assertEquals(5, listed.getJsonArray("options").getJsonObject(0).getNumber("rating").intValue());
    assertEquals(image, await(server.get(url).send()).body(), "the stored image is served unchanged");
  }

  @Test
  void redeployNeedsTheAdminToken() throws Exception {
    assertEquals(401, await(server.client.post("/api/admin/verticles/optimizer/redeploy").send()).statusCode());
    assertEquals(401, await(server.client.post("/api/admin/verticles/optimizer/redeploy")
      .bearerTokenAuthentication("wrong-token").send()).statusCode());
    assertEquals(404, redeploy("nonexistent").statusCode());
  }

  @Test
  void verticlesAreRedeployedWhileTheServerKeepsAnswering() throws Exception {
    WebClient fresh = WebClient.create(server.clientVertx, new WebClientOptions().setKeepAlive(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(server.port));
    BackToBackProbes probes = healthProbes(fresh);
    // Ordered by events: probes run back to back from before the first redeploy request until a probe sent after
    // the last previous instance stopped has been answered, so one is in flight at every moment of every redeploy.
    await(probes.answeredFromNow());
    for (String verticle : List.of("optimizer", "generation", "evolution", "metrics", "http")) {
      String previous = deployments().getString(verticle);
      HttpResponse<Buffer> response = redeploy(verticle);
      assertEquals(200, response.statusCode(), verticle + ": " + response.bodyAsString());
      assertEquals(verticle, response.bodyAsJsonObject().getString("verticle"));
      assertNotEquals(previous, response.bodyAsJsonObject().getString("deployment_id"));
      // The previous http instance retires after the answer: the redeploy lasts until it has stopped.
      Eventually.until("the previous " + verticle + " instance has stopped",
        () -> !server.vertx.deploymentIDs().contains(previous));
      await(probes.answeredFromNow());
    }
    await(probes.stop());
    fresh.close();
    assertTrue(probes.answered() > 5, "probes ran before, during and after the redeploys: " + probes.answered());
    assertEquals(List.of(), probes.failures(), "every probe was answered with 200");

    JsonObject experiment = TrainingLoopTest.upload(server, SampleImages.jpeg(320, 240), "r.jpg", "image/jpeg",
      "structure").bodyAsJsonObject();
    assertEquals(200, TrainingLoopTest.rate(server, TrainingLoopTest.ratingBody(experiment, 4, 4)).statusCode(),
      "the redeployed verticles serve the whole loop");
    HttpResponse<Buffer> ready = await(server.client.get("/ready").send());
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    for (String verticle : List.of("generation", "optimizer", "evolution", "metrics", "reward", "textopt")) {
      assertTrue(ready.bodyAsString().contains("\"" + verticle + "\""), "every deployed verticle answers its ping in "
        + ready.bodyAsString());
    }
  }

  /**
   * {@code GET /health} probes, back to back, each on a new connection: a retiring instance closes its idle
   * keep-alive connections, and a request racing that close is one that HTTP clients (browsers) retry on a new
   * connection anyway. Any answer other than 200, or none, is a failure.
   */
  private static BackToBackProbes healthProbes(WebClient fresh) {
    return BackToBackProbes.start(server.clientVertx.getOrCreateContext(), () -> fresh.get("/health").send()
      // Closed before any answer (a retiring instance closing a connection it had not read a request from yet):
      // HTTP clients retry an idempotent request on a new connection, so the probe does too, once.
      .recover(failure -> failure instanceof HttpClosedException ? fresh.get("/health").send()
        : Future.failedFuture(failure))
      .compose(response -> response.statusCode() == 200 ? Future.succeededFuture()
        : Future.failedFuture("status " + response.statusCode())));
  }

  private static JsonObject deployments() throws Exception {
    return await(server.vertx.eventBus().<JsonObject>request(Addresses.LAUNCHER_DEPLOYMENTS, new JsonObject()))
      .body().getJsonObject("verticles");
  }

  private static HttpResponse<Buffer> redeploy(String verticle) throws Exception {
    return await(server.post("/api/admin/verticles/" + verticle + "/redeploy").send());
  }

  private static JsonObject status() throws Exception {
    return await(server.get("/api/train/status?mode=surfaces").send()).bodyAsJsonObject();
  }
}
