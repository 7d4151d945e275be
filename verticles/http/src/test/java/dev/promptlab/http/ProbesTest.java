package dev.promptlab.http;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", port).put("db", TestDatabase.pgOptions())
      .put("webroot", "../../webroot").put("uploads_dir", uploads.toString()).put("admin_emails", ADMIN_EMAIL)
      .put("password_iterations", 1_000).put("secure_cookies", false);
    String nextId = await(vertx.deployVerticle(next, new DeploymentOptions().setConfig(config)));
    assertEquals(port, next.actualPort());
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    AtomicBoolean probing = new AtomicBoolean(true);
    Future<Void> probes = probe(probing, statuses);
    // Undeploy the first instance (the one every other test uses) while requests keep coming.
    await(vertx.undeploy(deploymentId));
    deploymentId = nextId;
    await(vertx.timer(200));
    probing.set(false);
    await(probes);
    assertTrue(statuses.size() > 3, statuses.toString());
    assertTrue(statuses.stream().allMatch(s -> s == 200), "every request was answered: " + statuses);
    assertEquals(200, get("/api/train/status").statusCode(), "the new instance serves the API");
  }

  private static Future<Void> probe(AtomicBoolean running, List<Integer> statuses) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    return client.get("/health").send().map(r -> r.statusCode()).otherwise(-1)
      .compose(status -> {
        statuses.add(status);
        return vertx.timer(10).compose(t -> probe(running, statuses));
      });
  }

  @Test
  void metricsAreScrapedInPrometheusFormat() {
    get("/health");
    HttpResponse<Buffer> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("vertx_http_server_requests_total"), metrics.bodyAsString());
  }
}
