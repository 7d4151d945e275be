package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.ClusterStatus;
import dev.promptlab.testkit.BackToBackProbes;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liveness, readiness with the neighbours' pings, and the Prometheus scrape. */
class ProbesTest extends HttpTestBase {

  @Test
  void healthAnswersWhileTheServerRuns() {
    HttpResponse<Buffer> health = get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("UP", health.bodyAsJsonObject().getString("status"));
  }

  @Test
  void readyWhenDatabaseVerticlesAndPromptStoreAnswer() {
    HttpResponse<Buffer> ready = get("/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    String body = ready.bodyAsString();
    for (String check : new String[] {"database", "verticles/generation", "verticles/optimizer", "verticles/evolution",
      "verticles/metrics", "prompt-store"}) {
      assertTrue(body.contains("\"" + check.substring(check.indexOf('/') + 1) + "\""), check + " in " + body);
    }
  }

  @Test
  void notReadyWhenAVerticleDoesNotAnswerItsPing() {
    await(fakes.silence(Addresses.ping("metrics")));
    try {
      HttpResponse<Buffer> ready = get("/ready");
      assertEquals(503, ready.statusCode(), ready.bodyAsString());
      JsonObject body = ready.bodyAsJsonObject();
      assertEquals("DOWN", body.getString("outcome"));
      assertTrue(ready.bodyAsString().contains("metrics"), ready.bodyAsString());
    } finally {
      await(fakes.restore(Addresses.ping("metrics")));
    }
    assertEquals(200, get("/ready").statusCode());
  }

  @Test
  void aSecondInstanceTakesOverThePortWithoutARefusedRequest() throws Exception {
    HttpVerticle next = new HttpVerticle();
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", SHARED_RANDOM_PORT).put("db", TestDatabase.pgOptions())
      .put("webroot", "../../webroot").put("uploads_dir", uploads.toString()).put("admin_emails", ADMIN_EMAIL)
      .put("password_iterations", 1_000).put("secure_cookies", false)
      .put("data_dir", java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "data").toString());
    String nextId = await(vertx.deployVerticle(next, new DeploymentOptions().setConfig(config)));
    assertEquals(port, next.actualPort(), "the same negative port is the same shared port");
    assertEquals(String.valueOf(port), java.nio.file.Files.readString(java.nio.file.Path.of(
      config.getString("data_dir"), HttpConfig.PORT_FILE)).strip(), "the port is written for whoever started it");
    // Ordered by events: probes run back to back from before the undeploy until a probe sent after it finished
    // has been answered, so one is in flight at every moment of the hand-over.
    WebClient fresh = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(port));
    BackToBackProbes probes = BackToBackProbes.start(vertx.getOrCreateContext(), () -> fresh.get("/health").send()
      // Closed before any answer (a retiring instance closing a connection it had not read a request from yet):
      // HTTP clients retry an idempotent request on a new connection, so the probe does too, once.
      .recover(failure -> failure instanceof HttpClosedException ? fresh.get("/health").send()
        : Future.failedFuture(failure))
      .compose(response -> response.statusCode() == 200 ? Future.succeededFuture()
        : Future.failedFuture("status " + response.statusCode())));
    await(probes.answeredFromNow());
    // Undeploy the first instance (the one every other test uses) while requests keep coming.
    await(vertx.undeploy(deploymentId));
    deploymentId = nextId;
    await(probes.answeredFromNow());
    await(probes.stop());
    fresh.close();
    assertEquals(List.of(), probes.failures(), "every request was answered with 200");
    assertEquals(200, get("/api/train/status").statusCode(), "the new instance serves the API");
  }

  @Test
  void onAClusterNodeReadinessReportsMembersAndSingletonHoldersAndFailsWhenOneIsUnheld() throws Exception {
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("db", TestDatabase.pgOptions())
      .put("webroot", "../../webroot").put("uploads_dir", uploads.toString()).put("admin_emails", ADMIN_EMAIL)
      .put("password_iterations", 1_000).put("secure_cookies", false)
      .put("cluster", new JsonObject().put("enabled", true).put("node_name", "node-a"));
    HttpVerticle node = new HttpVerticle();
    String nodeId = await(vertx.deployVerticle(node, new DeploymentOptions().setConfig(config)));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(node.actualPort()));
    try {
      HttpResponse<Buffer> nobody = await(client.get("/ready").send());
      assertEquals(503, nobody.statusCode(), "no launcher answers about the cluster: " + nobody.bodyAsString());
      assertTrue(nobody.bodyAsString().contains("launcher"), nobody.bodyAsString());

      Map<String, String> holders = new HashMap<>(Map.of("optimizer", "node-b", "evolution", "node-a"));
      MessageConsumer<Object> launcher = vertx.eventBus().consumer(Addresses.LAUNCHER_CLUSTER, msg -> msg.reply(
        new ClusterStatus("node-a", List.of("node-a", "node-b"), holders, List.of("evolution", "optimizer")).toJson()));
      await(launcher.completion());
      HttpResponse<Buffer> ready = await(client.get("/ready").send());
      assertEquals(200, ready.statusCode(), ready.bodyAsString());
      JsonObject cluster = check(ready.bodyAsJsonObject(), "cluster").getJsonObject("data");
      assertEquals(List.of("node-a", "node-b"), cluster.getJsonArray("members").getList());
      assertEquals("node-b", cluster.getJsonObject("singletons").getString("optimizer"));

      holders.remove("optimizer");
      HttpResponse<Buffer> unheld = await(client.get("/ready").send());
      assertEquals(503, unheld.statusCode(), unheld.bodyAsString());
      assertEquals("no node holds optimizer",
        check(unheld.bodyAsJsonObject(), "cluster").getJsonObject("data").getString("reason"));
      await(launcher.unregister());
    } finally {
      client.close();
      await(vertx.undeploy(nodeId));
    }
  }

  private static JsonObject check(JsonObject ready, String id) {
    for (Object check : ready.getJsonArray("checks")) {
      if (id.equals(((JsonObject) check).getString("id"))) {
        return (JsonObject) check;
      }
    }
    throw new AssertionError("no check " + id + " in " + ready.encode());
  }

  @Test
  void metricsAreScrapedInPrometheusFormat() {
    get("/health");
    HttpResponse<Buffer> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("vertx_http_server_requests_total"), metrics.bodyAsString());
  }
}
