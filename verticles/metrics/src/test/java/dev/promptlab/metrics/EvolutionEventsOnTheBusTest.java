package dev.promptlab.metrics;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.JvmWarmUp;
import dev.promptlab.testkit.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The evolution verticle's events, published on the bus in the shape it publishes them, become the evolution
 * and decision meters of the registry Vert.x reports to; malformed ones are counted as rejected.
 */
@ExtendWith(BlockedThreadGuard.class)
class EvolutionEventsOnTheBusTest {

  private Vertx vertx;
  private String registryName;

  /** Loads the classes of a first deploy, event and scrape on a lenient Vert.x, so the guard judges our code. */
  @BeforeAll
  static void loadClassesOnce() {
    String name = "evolution-meters-warm-up-" + UUID.randomUUID();
    JvmWarmUp.once("evolution-meters", () -> MetricsVerticleTest.metricsVertx(new VertxOptions(), name),
      warm -> deployAndPublishOnce(warm, name));
  }

  private static PrometheusText deployAndPublishOnce(Vertx vertx, String registryName) {
    await(vertx.deployVerticle(new MetricsVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("registry_name", registryName).put("study_status_attempts", 0))));
    vertx.eventBus().publish(Addresses.EVENT_EVOLUTION_FINISHED,
      EvolutionMetersTest.evolution(1, "manual", "succeeded", "offline").toJson());
    vertx.eventBus().publish(Addresses.EVENT_PROMPT_DECIDED,
      EvolutionMetersTest.decision(1, "ab_test", "promoted").toJson());
    return settleAndScrape(vertx, registryName);
  }

  /** The verticle handles messages in order, so once it answered a ping every event before it was counted. */
  private static PrometheusText settleAndScrape(Vertx vertx, String registryName) {
    await(vertx.eventBus().request(Addresses.ping("metrics"), new JsonObject()));
    return PrometheusText.parse(((PrometheusMeterRegistry) BackendRegistries.getNow(registryName)).scrape());
  }

  @BeforeEach
  void setUp() {
    registryName = "evolution-meters-" + UUID.randomUUID();
    vertx = MetricsVerticleTest.metricsVertx(TestVertx.options(), registryName);
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void evolutionAndDecisionEventsBecomeMeters() {
    PrometheusText first = deployAndPublishOnce(vertx, registryName);
    assertEquals(1.0, first.value("promptlab_evolutions_total", "trigger", "manual", "status", "succeeded",
      "provider", "offline"));
    assertEquals(1.0, first.value("promptlab_prompt_decisions_total", "kind", "ab_test", "outcome", "promoted"));

    // The exact JSON the evolution verticle publishes for a failed evolution and an admin rollback.
    vertx.eventBus().publish(Addresses.EVENT_EVOLUTION_FINISHED, new JsonObject().put("id", 12L)
      .put("trigger", "periodic").put("status", "failed").put("provider", "openai").put("parent_version", "v1.0.2")
      .putNull("candidate_version").put("reason", "openai gpt-4o-mini: timed out after 30000 ms"));
    vertx.eventBus().publish(Addresses.EVENT_PROMPT_DECIDED, new JsonObject().put("id", 40L).put("kind", "rollback")
      .putNull("ab_test_id").put("from_version", "v1.0.3").put("to_version", "v1.0.2").put("outcome", "rolled_back")
      .put("statistics", new JsonObject()).put("decided_by", "admin@example.com").put("reason", "worse renders")
      .put("decided_at", "2025-01-01T10:00:00Z"));
    PrometheusText text = settleAndScrape(vertx, registryName);
    assertEquals(1.0, text.value("promptlab_evolutions_total", "trigger", "periodic", "status", "failed",
      "provider", "openai"));
    assertEquals(1.0, text.value("promptlab_prompt_decisions_total", "kind", "rollback", "outcome", "rolled_back"));
    assertTrue(text.samples("promptlab_metrics_events_rejected_total").isEmpty());
  }

  @Test
  void malformedEvolutionEventsAreCountedAsRejectedAndChangeNothing() {
    deployAndPublishOnce(vertx, registryName);
    vertx.eventBus().publish(Addresses.EVENT_EVOLUTION_FINISHED, "finished");
    vertx.eventBus().publish(Addresses.EVENT_EVOLUTION_FINISHED, new JsonObject().put("trigger", "manual")
      .put("status", "succeeded").put("provider", "offline"));
    vertx.eventBus().publish(Addresses.EVENT_PROMPT_DECIDED, new JsonObject().put("id", "forty").put("kind", "sync")
      .put("outcome", "synced"));
    PrometheusText text = settleAndScrape(vertx, registryName);
    assertEquals(2.0, text.value("promptlab_metrics_events_rejected_total", "event", "evolution_finished"));
    assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "prompt_decided"));
    assertEquals(1.0, text.value("promptlab_evolutions_total", "trigger", "manual", "status", "succeeded",
      "provider", "offline"));
    assertEquals(0.0, text.value("promptlab_prompt_decisions_total", "kind", "sync", "outcome", "synced"));
  }
}
