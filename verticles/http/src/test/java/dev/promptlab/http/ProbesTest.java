package dev.promptlab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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
  void metricsAreScrapedInPrometheusFormat() {
    get("/health");
    HttpResponse<Buffer> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("vertx_http_server_requests_total"), metrics.bodyAsString());
  }
}
