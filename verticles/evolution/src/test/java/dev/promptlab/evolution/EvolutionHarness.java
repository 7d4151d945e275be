package dev.promptlab.evolution;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.AssignReply;
import dev.promptlab.contract.PromptAssignment;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.testkit.JvmWarmUp;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One Vert.x, the real test database, a private data directory whose prompt store is seeded from the packaged seed,
 * and the evolution verticle deployed on them with the default store location ({@code <data_dir>/prompts}); tests
 * talk to it over the bus only. Calls block the test thread (never an event loop).
 */
public final class EvolutionHarness implements AutoCloseable {

  public static final long TIMEOUT_SECONDS = 60;

  public final Vertx vertx;
  public final Path prompts;
  private JsonObject config;
  private String deploymentId;

  /** A fresh database and a freshly seeded prompt store in {@code <temp>/data/prompts}. */
  public EvolutionHarness(Path temp) {
    this(TestPrompts.seedInto(temp.resolve("data").resolve("prompts")), freshDatabase(), null);
  }

  /** A fresh database and a data directory under {@code temp} with no prompt store yet: a start seeds it. */
  public static EvolutionHarness unseeded(Path temp) {
    return new EvolutionHarness(temp.resolve("data").resolve("prompts"), freshDatabase(), null);
  }

  private EvolutionHarness(Path prompts, boolean unused, JsonObject config) {
    JvmWarmUp.once();
    this.vertx = TestVertx.create();
    this.prompts = prompts;
    this.config = config != null ? config.copy() : new JsonObject()
      .put("db", TestDatabase.pgOptions().put("pool_size", 4)).put("data_dir", prompts.getParent().toString());
  }

  private static boolean freshDatabase() {
    TestDatabase.reset();
    return true;
  }

  /**
   * A new process on the same files, database and configuration, as after a crash: call {@link #close()} on the
   * old harness first. Closing only closes the verticle's connections, so whatever it had not committed is lost
   * exactly as in a crash.
   */
  public EvolutionHarness restart() {
    return new EvolutionHarness(prompts, false, config);
  }

  /** Adds or replaces config keys before {@link #deploy()}. */
  public EvolutionHarness with(String key, Object value) {
    config.put(key, value);
    return this;
  }

  public JsonObject config() {
    return config;
  }

  public EvolutionHarness deploy() {
    deploymentId = await(vertx.deployVerticle(new EvolutionVerticle(), new DeploymentOptions().setConfig(config.copy())));
    return this;
  }

  /** The failure a deployment ends with. */
  public Throwable deployFailure() {
    return assertThrows(Throwable.class, () -> await(vertx.deployVerticle(new EvolutionVerticle(),
      new DeploymentOptions().setConfig(config.copy()))));
  }

  public void undeploy() {
    if (deploymentId != null) {
      await(vertx.undeploy(deploymentId));
      deploymentId = null;
    }
  }

  /** Starts undeploying and returns at once; the future completes when the verticle has stopped. */
  public io.vertx.core.Future<Void> undeployInBackground() {
    String id = deploymentId;
    deploymentId = null;
    return vertx.undeploy(id);
  }

  public JsonObject request(String address, JsonObject body) {
    return await(vertx.eventBus().<JsonObject>request(address, body,
      new DeliveryOptions().setSendTimeout(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)))).body();
  }

  public <T> T requestAny(String address, JsonObject body) {
    return await(vertx.eventBus().<T>request(address, body,
      new DeliveryOptions().setSendTimeout(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)))).body();
  }

  /** Asserts the request fails with {@code code} and returns the failure message. */
  public String failure(String address, Object body, int code) {
    Throwable failure = assertThrows(Throwable.class, () -> await(vertx.eventBus().request(address, body)));
    Throwable cause = failure;
    while (!(cause instanceof ReplyException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (!(cause instanceof ReplyException reply)) {
      throw new AssertionError("expected a bus failure, got " + failure, failure);
    }
    assertEquals(code, reply.failureCode(), reply.getMessage());
    return reply.getMessage();
  }

  public void publish(RatingsRecorded event) {
    vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, event.toJson());
  }

  /**
   * One experiment the way the training flow makes it: ask for {@code count} assignments, store an option per
   * assignment with its prompt version and A/B test, rate each with {@code rating(version)}, publish the event.
   */
  public RatingsRecorded rateAssigned(int count, java.util.function.ToIntFunction<String> rating, String comment) {
    AssignReply reply = AssignReply.fromJson(request(Addresses.EVOLUTION_ASSIGN,
      new JsonObject().put("mode", "structure").put("count", count)));
    java.util.List<TrainingRows.Rated> options = new java.util.ArrayList<>();
    for (PromptAssignment a : reply.assignments()) {
      options.add(new TrainingRows.Rated(a.version(), a.abTestId(), rating.applyAsInt(a.version()), comment));
    }
    RatingsRecorded event = TrainingRows.rateExperiment("structure", "trainer@example.com", options);
    publish(event);
    return event;
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
