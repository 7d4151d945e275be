package dev.promptlab.metrics;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.ActivationVerdict;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ProviderCircuitChanged;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.RewardModelSummary;
import dev.promptlab.contract.RewardProgress;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.JvmWarmUp;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the metrics verticle on a Vert.x built with Micrometer metrics, as the launcher does,
 * publishes real contract events on the bus and reads the result the way Prometheus does: over HTTP
 * through {@link PrometheusScrapingHandler}.
 */
@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class MetricsVerticleTest {

  private static final AtomicLong RATING_IDS = new AtomicLong();

  private static final GenerationParameters LEONARDO = new GenerationParameters("leonardo", 0.3, 7.5, 0.9);
  private static final GenerationParameters STABLE_DIFFUSION = new GenerationParameters("stablediffusion", 0.2, 9, 0.8);
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4";

  private Vertx vertx;
  private String registryName;
  private WebClient client;
  private int port;

  /** A Vert.x with Prometheus metrics on, as the launcher builds it; null name = the default registry. */
  static Vertx metricsVertx(VertxOptions options, String registryName) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setEnabled(true);
    if (registryName != null) {
      metrics.setRegistryName(registryName);
    }
    return Vertx.builder()
      .with(options.setMetricsOptions(metrics))
      .withMetrics(new MicrometerMetricsFactory())
      .build();
  }

  /**
   * The first HTTP exchange, scrape and meter registration in a JVM load a few thousand classes (and
   * Netty registers its JFR events), which on a busy machine takes longer than the tests' 300 ms
   * event-loop budget. One round on a Vert.x with the default budget loads them, so that the
   * blocked-thread guard judges what the code does on every call, not the JVM's warm-up.
   */
  @BeforeAll
  static void loadClassesOnce() {
    String name = "metrics-warm-up-" + UUID.randomUUID();
    JvmWarmUp.once("metrics", () -> metricsVertx(new VertxOptions(), name), warm -> {
      Router router = Router.router(warm);
      router.get("/metrics").handler(PrometheusScrapingHandler.create(name));
      WebClient warmClient = WebClient.create(warm);
      JsonObject config = new JsonObject().put("registry_name", name).put("study_status_attempts", 0);
      await(warm.deployVerticle(new MetricsVerticle(), new DeploymentOptions().setConfig(config))
        .compose(id -> {
          warm.eventBus().publish(Addresses.EVENT_GENERATION_FINISHED,
            new GenerationFinished("local", "structure", GenerationFinished.SUCCESS, null, 10).toJson());
          warm.eventBus().publish(Addresses.EVENT_STUDY_UPDATED, study("structure", 1, 3.0, false).toJson());
          return warm.eventBus().request(Addresses.ping("metrics"), new JsonObject());
        })
        .compose(pong -> warm.createHttpServer().requestHandler(router).listen(0))
        .compose(server -> warmClient.get(server.actualPort(), "localhost", "/metrics").send())
        .map(response -> PrometheusText.parse(response.bodyAsString())));
    });
  }

  @BeforeEach
  void setUp(VertxTestContext ctx) {
    registryName = "metrics-test-" + UUID.randomUUID();
    vertx = metricsVertx(TestVertx.options(), registryName);
    startScrapeEndpoint(PrometheusScrapingHandler.create(registryName)).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> startScrapeEndpoint(Handler<RoutingContext> scraping) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(scraping);
    client = WebClient.create(vertx);
    return vertx.createHttpServer().requestHandler(router).listen(0).map(server -> {
      port = server.actualPort();
      return null;
    });
  }

  private JsonObject config() {
    return new JsonObject().put("registry_name", registryName).put("study_status_attempts", 0);
  }

  private Future<String> deploy(JsonObject config) {
    return vertx.deployVerticle(new MetricsVerticle(), new DeploymentOptions().setConfig(config));
  }

  /**
   * A ping round trip: the verticle handles messages in the order they were sent from one thread, so
   * once it answered, every event published before has been counted.
   */
  private Future<Void> settle() {
    return vertx.eventBus().request(Addresses.ping("metrics"), new JsonObject()).mapEmpty();
  }

  private Future<PrometheusText> scrape() {
    return client.get(port, "localhost", "/metrics").send().map(response -> {
      assertEquals(200, response.statusCode());
      assertTrue(response.getHeader("Content-Type").startsWith(TEXT_FORMAT), response.getHeader("Content-Type"));
      return PrometheusText.parse(response.bodyAsString());
    });
  }

  private void publish(String address, Object body) {
    vertx.eventBus().publish(address, body);
  }

  private static RatedOption rated(String option, GenerationParameters parameters, int rating) {
    return new RatedOption(RATING_IDS.incrementAndGet(), option, parameters, "v1.0.0", 42L, rating, "too much glare", "ana@example.com");
  }

  private static StudyStatus study(String mode, int samples, Double best, boolean phase1Complete) {
    return new StudyStatus(mode, samples, best, 0.25, 20, phase1Complete, null, null, "gp");
  }

  @Test
  void answersPing(VertxTestContext ctx) {
    deploy(config())
      .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.ping("metrics"), new JsonObject()))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertEquals(new JsonObject().put("ok", true), reply.body());
        ctx.completeNow();
      })));
  }

  @Test
  void publishedEventsBecomeMetersInTheScrape(VertxTestContext ctx) {
    deploy(config())
      .compose(id -> {
        publish(Addresses.EVENT_EXPERIMENT_CREATED,
          new ExperimentCreated("exp-91c2", "structure", 1, 1, "gp-ei").toJson());
        publish(Addresses.EVENT_GENERATION_FINISHED,
          new GenerationFinished("local", "structure", GenerationFinished.SUCCESS, null, 120).toJson());
        publish(Addresses.EVENT_GENERATION_FINISHED,
          new GenerationFinished("leonardo", "structure", GenerationFinished.FAILURE, "rate_limited", 800).toJson());
        publish(Addresses.EVENT_RATINGS_RECORDED, new RatingsRecorded("exp-91c2", "structure",
          List.of(rated("A", LEONARDO, 5), rated("B", STABLE_DIFFUSION, 2)), 2).toJson());
        publish(Addresses.EVENT_STUDY_UPDATED, study("structure", 2, 3.7, false).toJson());
        publish(Addresses.EVENT_OPTIMIZER_FALLBACK,
          new JsonObject().put("study", "surfaces").put("reason", "optimizer timed out after 5000 ms"));
        publish(Addresses.EVENT_PROVIDER_CIRCUIT, new ProviderCircuitChanged("leonardo", "closed").toJson());
        publish(Addresses.EVENT_PROVIDER_CIRCUIT, new ProviderCircuitChanged("replicate", "closed").toJson());
        publish(Addresses.EVENT_PROVIDER_CIRCUIT, new ProviderCircuitChanged("leonardo", "open").toJson());
        return settle();
      })
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertEquals(1.0, text.value("promptlab_experiments_total", "mode", "structure", "strategy", "gp-ei"));
        assertEquals(1.0, text.value("promptlab_options_generated_total", "mode", "structure"));
        assertEquals(1.0, text.value("promptlab_options_failed_total", "mode", "structure"));
        assertEquals(1.0, text.value("promptlab_generation_seconds_count", "provider", "local", "outcome", "success"));
        assertEquals(0.12, text.value("promptlab_generation_seconds_sum", "provider", "local", "outcome", "success"),
          1e-9);
        assertEquals(1.0,
          text.value("promptlab_generation_errors_total", "provider", "leonardo", "error_kind", "rate_limited"));
        assertEquals(1.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "5"));
        assertEquals(1.0,
          text.value("promptlab_ratings_total", "api", "stablediffusion", "mode", "structure", "rating", "2"));
        assertEquals(5.0, text.value("promptlab_rating_sum", "api", "leonardo", "mode", "structure"));
        assertEquals(2.0, text.value("promptlab_samples_collected", "mode", "structure"));
        assertEquals(3.7, text.value("promptlab_best_rating", "mode", "structure"));
        assertEquals(0.0, text.value("promptlab_phase1_complete", "mode", "structure"));
        assertEquals(1.0, text.value("promptlab_optimizer_fallbacks_total", "mode", "surfaces"));
        assertEquals(2.0, text.value("promptlab_provider_circuit_state", "provider", "leonardo"));
        assertEquals(0.0, text.value("promptlab_provider_circuit_state", "provider", "replicate"));
        assertTrue(text.samples("promptlab_metrics_events_rejected_total").isEmpty());
        assertTrue(text.samples().stream().anyMatch(s -> s.name().startsWith("vertx_")),
          "the registry is the one Vert.x reports its own metrics to");
        for (var sample : text.samples()) {
          for (String value : sample.labels().values()) {
            assertFalse(value.contains("exp-91c2") || value.contains("@") || value.contains("glare")
              || value.contains("timed out"), "no ids, emails or free text in tags: " + sample);
          }
        }
        ctx.completeNow();
      })));
  }

  @Test
  void theRewardModelsBackfillAndTrainingsBecomeMeters(VertxTestContext ctx) {
    RewardModelSummary judged = new RewardModelSummary(3, "2026-01-02T03:04:05Z", true, "active", 80, 20, 0.52, 0.8,
      0.61, 0.7, 25, 0.84, List.of(), new ActivationVerdict("active", 0, 0));
    RewardModelSummary tooEarly = new RewardModelSummary(4, "2026-01-02T04:04:05Z", false, "collecting data", 6, 2,
      null, null, null, null, null, null, List.of(), new ActivationVerdict("too_few_rows", 6, 10));
    JsonObject badShare = judged.toJson().put("pairwise_accuracy", 1.5);
    deploy(config())
      .compose(id -> scrape())
      .compose(before -> {
        ctx.verify(() -> {
          assertEquals(0.0, before.value("promptlab_reward_features_computed_total"), "registered at zero");
          assertEquals(0.0, before.value("promptlab_reward_models_trained_total", "outcome", "active"));
        });
        publish(Addresses.EVENT_REWARD_PROGRESS, new RewardProgress(20, 1, 37).toJson());
        publish(Addresses.EVENT_REWARD_PROGRESS, new RewardProgress(17, 0, 20).toJson());
        publish(Addresses.EVENT_REWARD_PROGRESS, new RewardProgress(-1, 0, 3).toJson());
        publish(Addresses.EVENT_REWARD_MODEL_TRAINED, judged.toJson());
        publish(Addresses.EVENT_REWARD_MODEL_TRAINED, tooEarly.toJson());
        publish(Addresses.EVENT_REWARD_MODEL_TRAINED, badShare);
        return settle();
      })
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertEquals(37.0, text.value("promptlab_reward_features_computed_total"));
        assertEquals(1.0, text.value("promptlab_reward_features_failed_total"));
        assertEquals(20.0, text.value("promptlab_reward_features_pending"), "the newest step's count");
        assertEquals(1.0, text.value("promptlab_reward_models_trained_total", "outcome", "active"));
        assertEquals(1.0, text.value("promptlab_reward_models_trained_total", "outcome", "not_active"));
        assertEquals(0.52, text.value("promptlab_reward_model_mae"), "a model without figures leaves them");
        assertEquals(0.61, text.value("promptlab_reward_model_within_half_star"));
        assertEquals(0.84, text.value("promptlab_reward_model_pairwise_accuracy"));
        assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "reward_progress"));
        assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "reward_model_trained"));
        ctx.completeNow();
      })));
  }

  @Test
  void malformedEventsAreCountedAsRejectedAndChangeNothing(VertxTestContext ctx) {
    JsonObject ratingNine = new RatingsRecorded("exp-1", "surfaces", List.of(rated("A", LEONARDO, 4)), 1).toJson();
    ratingNine.getJsonArray("ratings").getJsonObject(0).put("rating", 9);
    deploy(config())
      .compose(id -> {
        publish(Addresses.EVENT_RATINGS_RECORDED, "{\"mode\": \"surfaces\"}");
        publish(Addresses.EVENT_RATINGS_RECORDED, ratingNine);
        publish(Addresses.EVENT_RATINGS_RECORDED, new JsonObject().put("mode", "surfaces"));
        publish(Addresses.EVENT_GENERATION_FINISHED,
          new GenerationFinished("local", "surfaces", GenerationFinished.SUCCESS, null, -3).toJson());
        publish(Addresses.EVENT_STUDY_UPDATED, new JsonObject().put("study", "surfaces").put("samples", "many"));
        publish(Addresses.EVENT_EXPERIMENT_CREATED, new JsonObject().put("mode", "surfaces").put("options_failed", -1));
        publish(Addresses.EVENT_OPTIMIZER_FALLBACK, "surfaces");
        publish(Addresses.EVENT_PROVIDER_CIRCUIT, new ProviderCircuitChanged("leonardo", "ajar").toJson());
        // a valid event after the bad ones is still counted
        publish(Addresses.EVENT_RATINGS_RECORDED,
          new RatingsRecorded("exp-2", "surfaces", List.of(rated("A", LEONARDO, 3)), 1).toJson());
        return settle();
      })
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertEquals(3.0, text.value("promptlab_metrics_events_rejected_total", "event", "ratings_recorded"));
        assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "generation_finished"));
        assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "study_updated"));
        assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "experiment_created"));
        assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "optimizer_fallback"));
        assertEquals(1.0, text.value("promptlab_metrics_events_rejected_total", "event", "provider_circuit"));
        assertTrue(text.samples("promptlab_provider_circuit_state").isEmpty());
        assertEquals(0.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "surfaces", "rating", "4"));
        assertEquals(1.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "surfaces", "rating", "3"));
        assertEquals(0.0, text.value("promptlab_options_failed_total", "mode", "surfaces"));
        assertTrue(text.samples("promptlab_generation_seconds_count").isEmpty());
        assertEquals(1.0, text.value("promptlab_samples_collected", "mode", "surfaces"));
        ctx.completeNow();
      })));
  }

  @Test
  void aRedeployNeitherDuplicatesNorLosesMeters(VertxTestContext ctx) {
    RatingsRecorded first = new RatingsRecorded("exp-1", "structure", List.of(rated("A", LEONARDO, 4)), 1);
    RatingsRecorded second = new RatingsRecorded("exp-2", "structure", List.of(rated("A", LEONARDO, 4)), 2);
    deploy(config())
      .compose(id -> {
        publish(Addresses.EVENT_RATINGS_RECORDED, first.toJson());
        publish(Addresses.EVENT_STUDY_UPDATED, study("structure", 1, 3.2, false).toJson());
        return settle().map(id);
      })
      .compose(vertx::undeploy)
      .compose(v -> scrape())
      .compose(whileAway -> {
        ctx.verify(() -> {
          assertEquals(1.0,
            whileAway.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "4"));
          assertEquals(3.2, whileAway.value("promptlab_best_rating", "mode", "structure"),
            "the last known value stays while the verticle is away");
        });
        return deploy(config());
      })
      .compose(id -> {
        publish(Addresses.EVENT_RATINGS_RECORDED, second.toJson());
        publish(Addresses.EVENT_STUDY_UPDATED, study("structure", 2, 4.1, true).toJson());
        return settle();
      })
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        // PrometheusText.parse already failed on any repeated series or split family
        assertEquals(2.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "4"),
          "counted once per event: the old consumers are gone, the counter continues");
        assertEquals(2.0, text.value("promptlab_samples_collected", "mode", "structure"));
        assertEquals(4.1, text.value("promptlab_best_rating", "mode", "structure"),
          "the gauge reads what the redeployed verticle writes");
        assertEquals(1.0, text.value("promptlab_phase1_complete", "mode", "structure"));
        assertEquals(1, text.samples("promptlab_best_rating").size());
        ctx.completeNow();
      })));
  }

  /** A stand-in for the optimizer's status address. */
  private Future<Void> fakeOptimizerStatus(Handler<Message<JsonObject>> handler) {
    return vertx.eventBus().consumer(Addresses.OPTIMIZER_STATUS, handler).completion();
  }

  @Test
  void studyGaugesAreSeededFromAnOptimizerDeployedLater(VertxTestContext ctx) {
    Set<String> asked = ConcurrentHashMap.newKeySet();
    Promise<Void> bothAnswered = Promise.promise();
    // Attempts enough to outlast any pause before the fake registers: the test ends on the answers, not on time.
    // The interval is also the send timeout of each question, so it leaves the fake ample time to answer.
    JsonObject seedConfig = config().put("study_status_attempts", 3000).put("study_status_interval_ms", 250);
    deploy(seedConfig)
      .compose(id -> fakeOptimizerStatus(message -> {
        String mode = message.body().getString("study");
        asked.add(mode);
        message.reply(study(mode, mode.equals("structure") ? 17 : 4, mode.equals("structure") ? 3.9 : null,
          false).toJson());
        if (asked.size() == 2) {
          bothAnswered.tryComplete();
        }
      }))
      .compose(v -> bothAnswered.future())
      // The replies reach the metrics verticle before this ping, so the gauges are seeded when it answers.
      .compose(v -> settle())
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertEquals(Set.of("structure", "surfaces"), asked);
        assertEquals(17.0, text.value("promptlab_samples_collected", "mode", "structure"));
        assertEquals(3.9, text.value("promptlab_best_rating", "mode", "structure"));
        assertEquals(4.0, text.value("promptlab_samples_collected", "mode", "surfaces"));
        assertTrue(text.find("promptlab_best_rating", "mode", "surfaces").isEmpty());
        ctx.completeNow();
      })));
  }

  @Test
  void aFailingOptimizerStatusIsAskedAgain(VertxTestContext ctx) {
    AtomicInteger calls = new AtomicInteger();
    Promise<Void> bothAnswered = Promise.promise();
    // The interval is also the send timeout of each question: ample, so an answer is never taken for silence.
    JsonObject seedConfig = config().put("study_status_attempts", 5).put("study_status_interval_ms", 250);
    fakeOptimizerStatus(message -> {
      int call = calls.incrementAndGet();
      if (call <= 2) {
        message.fail(FailureCodes.STORAGE_FAILED, "database not reachable yet");
      } else {
        message.reply(study(message.body().getString("study"), 9, 3.0, false).toJson());
        if (call == 4) {
          bothAnswered.complete();
        }
      }
    })
      .compose(v -> deploy(seedConfig))
      .compose(id -> bothAnswered.future())
      .compose(v -> settle())
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertEquals(9.0, text.value("promptlab_samples_collected", "mode", "structure"));
        assertEquals(4, calls.get(), "two failures, then one answer per study");
        ctx.completeNow();
      })));
  }

  @Test
  void aMalformedOptimizerStatusIsIgnored(VertxTestContext ctx) {
    Promise<Void> bothAnswered = Promise.promise();
    AtomicInteger answered = new AtomicInteger();
    JsonObject seedConfig = config().put("study_status_attempts", 3).put("study_status_interval_ms", 250);
    fakeOptimizerStatus(message -> {
      message.reply(new JsonObject().put("study", message.body().getString("study")).put("samples", -4));
      if (answered.incrementAndGet() == 2) {
        bothAnswered.complete();
      }
    })
      .compose(v -> deploy(seedConfig))
      .compose(id -> bothAnswered.future())
      .compose(v -> settle())
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertTrue(text.samples("promptlab_samples_collected").isEmpty(), "an impossible status is not shown");
        ctx.completeNow();
      })));
  }

  @Test
  void deployFailsClearlyWithoutAMicrometerRegistry(VertxTestContext ctx) {
    deploy(config().put("registry_name", "no-such-registry"))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertTrue(err.getMessage().contains("no Micrometer registry named 'no-such-registry'"), err.getMessage());
        ctx.completeNow();
      })));
  }

  @Test
  void deployFailsOnAnInvalidRetryConfig(VertxTestContext ctx) {
    deploy(config().put("study_status_interval_ms", 0))
      .onComplete(ctx.failing(err -> ctx.verify(() -> {
        assertTrue(err.getMessage().contains("study_status_interval_ms"), err.getMessage());
        ctx.completeNow();
      })));
  }

  @Test
  void usesTheDefaultRegistryWhenNoNameIsConfigured(VertxTestContext ctx) {
    // the launcher's set-up: default registry name, and the http verticle's handler without a name
    Vertx named = vertx;
    vertx = metricsVertx(TestVertx.options(), null);
    named.close()
      .compose(v -> startScrapeEndpoint(PrometheusScrapingHandler.create()))
      .compose(v -> vertx.deployVerticle(new MetricsVerticle()))
      .compose(id -> {
        publish(Addresses.EVENT_OPTIMIZER_FALLBACK, new JsonObject().put("study", "surfaces"));
        return settle();
      })
      .compose(v -> scrape())
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertEquals(1.0, text.value("promptlab_optimizer_fallbacks_total", "mode", "surfaces"));
        ctx.completeNow();
      })));
  }
}
