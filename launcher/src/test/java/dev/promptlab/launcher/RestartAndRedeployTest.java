package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
    AtomicBoolean running = new AtomicBoolean(true);
    List<Integer> statuses = new ArrayList<>();
    Future<Void> probing = probe(running, statuses);
    for (String verticle : List.of("optimizer", "generation", "evolution", "metrics", "http")) {
      HttpResponse<Buffer> response = redeploy(verticle);
      assertEquals(200, response.statusCode(), verticle + ": " + response.bodyAsString());
      assertEquals(verticle, response.bodyAsJsonObject().getString("verticle"));
    }
    running.set(false);
    await(probing);
    assertTrue(statuses.size() > 5, "probes ran during the redeploys");
    assertTrue(statuses.stream().allMatch(s -> s == 200), "every probe was answered: " + statuses);

    JsonObject experiment = TrainingLoopTest.upload(server, SampleImages.jpeg(320, 240), "r.jpg", "image/jpeg",
      "structure").bodyAsJsonObject();
    assertEquals(200, TrainingLoopTest.rate(server, TrainingLoopTest.ratingBody(experiment, 4, 4)).statusCode(),
      "the redeployed verticles serve the whole loop");
    assertEquals(200, await(server.client.get("/ready").send()).statusCode());
  }

  /**
   * One new connection per probe: a retiring instance closes its idle keep-alive connections, and a
   * request racing that close is one that HTTP clients (browsers) retry on a new connection anyway.
   */
  private Future<Void> probe(AtomicBoolean running, List<Integer> statuses) {
    WebClient fresh = WebClient.create(server.clientVertx, new WebClientOptions().setKeepAlive(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(server.port));
    return probe(fresh, running, statuses).eventually(() -> {
      fresh.close();
      return Future.succeededFuture();
    });
  }

  private Future<Void> probe(WebClient fresh, AtomicBoolean running, List<Integer> statuses) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    return fresh.get("/health").send()
      .map(HttpResponse::statusCode).otherwise(-1)
      .compose(status -> {
        synchronized (statuses) {
          statuses.add(status);
        }
        return server.clientVertx.timer(20).compose(t -> probe(fresh, running, statuses));
      });
  }

  private static HttpResponse<Buffer> redeploy(String verticle) throws Exception {
    return await(server.post("/api/admin/verticles/" + verticle + "/redeploy").send());
  }

  private static JsonObject status() throws Exception {
    return await(server.get("/api/train/status?mode=surfaces").send()).bodyAsJsonObject();
  }
}
