package dev.promptlab.optimizer;

import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.StatusRequest;
import dev.promptlab.contract.StudyStatus;
import dev.promptlab.contract.SuggestReply;
import dev.promptlab.contract.SuggestRequest;
import dev.promptlab.optimizer.model.SearchSpace;
import dev.promptlab.optimizer.study.StudySpace;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.JvmWarmUp;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the optimizer on a Vert.x with a tight event-loop budget against the real embedded PostgreSQL,
 * stores rated variants in the http verticle's tables with SQL (as its rating transaction does), publishes the
 * ratings event or asks for the status through the new rating ids, and talks to the verticle only over the bus.
 */
@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class OptimizerVerticleTest {

  private Vertx vertx;
  private final List<JsonObject> updates = new CopyOnWriteArrayList<>();
  private final List<JsonObject> fallbacks = new CopyOnWriteArrayList<>();

  /**
   * Class loading of the pg client, Jackson and the model code happens once per JVM and takes longer than
   * the 300 ms event-loop budget on a busy machine; one full round on a default Vert.x pays it, so the
   * guard judges what the verticle does on every call.
   */
  @BeforeAll
  static void payOneTimeJvmCosts() {
    JvmWarmUp.once("optimizer", warm -> {
      TestDatabase.reset();
      String id = await(warm.deployVerticle(new OptimizerVerticle(),
        new DeploymentOptions().setConfig(config().put("initial_design", 1))));
      RatingsRecorded rated = RatingRows.store("structure",
        List.of(new Observation(new GenerationParameters("leonardo", 0.3, 8, 0.9), 3, "warm"))).get(0);
      await(warm.eventBus().request(Addresses.OPTIMIZER_STATUS,
        new StatusRequest("structure", rated.throughRatingId()).toJson()));
      await(warm.eventBus().request(Addresses.OPTIMIZER_SUGGEST, new SuggestRequest("structure", 2).toJson()));
      await(warm.eventBus().request(Addresses.OPTIMIZER_STATUS, new JsonObject().put("study", "surfaces")));
      await(warm.undeploy(id));
    });
  }

  @BeforeEach
  void setUp() {
    TestDatabase.reset();
    vertx = TestVertx.create();
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_STUDY_UPDATED, m -> updates.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENT_OPTIMIZER_FALLBACK, m -> fallbacks.add(m.body()));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private static JsonObject config() {
    return new JsonObject().put("db", TestDatabase.pgOptions()).put("seed", 7).put("initial_design", 4)
      .put("candidates", 500);
  }

  private String deploy(JsonObject config) throws Exception {
    return await(vertx.deployVerticle(new OptimizerVerticle(), new DeploymentOptions().setConfig(config)));
  }

  // ------------------------------------------------------------------ fixtures

  /**
   * Stores the ratings, publishes their events and asks for the status through them, as the http verticle does
   * for one submission.
   */
  private StudyStatus rate(String study, List<Observation> observations) throws Exception {
    List<RatingsRecorded> events = RatingRows.store(study, observations);
    events.forEach(e -> vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, e.toJson()));
    return statusThrough(study, events.get(events.size() - 1).throughRatingId());
  }

  private StudyStatus statusThrough(String study, long ratingId) throws Exception {
    return StudyStatus.fromJson(request(Addresses.OPTIMIZER_STATUS, new StatusRequest(study, ratingId).toJson()).body());
  }

  private static Observation rated(String api, double strength, double guidance, double control, int rating) {
    return new Observation(new GenerationParameters(api, strength, guidance, control), rating, "trainer@example.com");
  }

  /** Every rating of the study has exactly one observation, and the study's mark is its newest rating. */
  private static void assertLearntExactlyOnce(String study) {
    long ratings = TestDatabase.count("SELECT count(*) FROM rated_variants WHERE mode = '" + study + "'");
    assertEquals(ratings, TestDatabase.count("SELECT count(*) FROM optimizer_observations o JOIN rated_variants v"
      + " ON v.rating_id = o.rating_id WHERE o.study = '" + study + "' AND v.mode = o.study AND v.rating = o.rating"
      + " AND v.api = o.api AND v.strength = o.strength AND v.rated_by = o.rater"), "one matching observation per rating");
    assertEquals(ratings, TestDatabase.count("SELECT count(*) FROM optimizer_observations WHERE study = '" + study + "'"));
    assertEquals(TestDatabase.count("SELECT coalesce(max(rating_id), 0) FROM rated_variants WHERE mode = '" + study + "'"),
      TestDatabase.count("SELECT observed_through_rating_id FROM optimizer_studies WHERE study = '" + study + "'"));
  }

  /** A smooth rating surface (best near stablediffusion, strength 0.3, guidance 9, control 0.9). */
  private static double rating(GenerationParameters p) {
    double s = (p.strength() - 0.3) / 0.4;
    double g = (p.guidanceScale() - 9) / 7;
    double c = (p.controlWeight() - 0.9) / 0.29;
    double peak = p.api().equals("stablediffusion") ? 3.8 : 2.8;
    return Math.max(1, Math.min(5, Math.rint(1 + peak * Math.exp(-(s * s + g * g + c * c) / 0.2))));
  }

  /** Follows the optimizer's own suggestions for {@code rounds} experiments of two options. */
  private StudyStatus train(String study, int rounds) throws Exception {
    StudyStatus status = null;
    for (int r = 0; r < rounds; r++) {
      SuggestReply reply = suggest(study, 2);
      List<Observation> observations = new ArrayList<>();
      for (GenerationParameters p : reply.suggestions()) {
        observations.add(new Observation(p, rating(p), "trainer" + r % 3 + "@example.com"));
      }
      status = rate(study, observations);
    }
    return status;
  }

  private SuggestReply suggest(String study, int count) throws Exception {
    return SuggestReply.fromJson(request(Addresses.OPTIMIZER_SUGGEST, new SuggestRequest(study, count).toJson()).body());
  }

  private StudyStatus status(String study) throws Exception {
    return StudyStatus.fromJson(request(Addresses.OPTIMIZER_STATUS, new JsonObject().put("study", study)).body());
  }

  private StudyStatus override(String study, boolean complete) throws Exception {
    return StudyStatus.fromJson(request(Addresses.OPTIMIZER_PHASE1_OVERRIDE,
      new JsonObject().put("study", study).put("complete", complete)).body());
  }

  private Message<JsonObject> request(String address, Object body) throws Exception {
    return await(vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(60_000)));
  }

  private ReplyException failure(String address, Object body) throws Exception {
    try {
      Message<Object> reply = await(vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(60_000)));
      throw new AssertionError(address + " should have failed, it answered " + reply.body());
    } catch (ReplyException e) {
      return e;
    }
  }

  private static String storedPhase1(String study) throws Exception {
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT phase1_reason, phase1_completed_at FROM optimizer_studies WHERE study = '"
           + study + "'")) {
      rs.next();
      String reason = rs.getString(1);
      assertEquals(reason == null, rs.getTimestamp(2) == null, "completion time goes with the reason");
      return reason;
    }
  }

  /** The stored pending suggestions of {@code study}, in their order. */
  private static List<GenerationParameters> storedPending(String study) throws Exception {
    List<GenerationParameters> points = new ArrayList<>();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT api, strength, guidance_scale, control_weight FROM optimizer_pending"
           + " WHERE study = '" + study + "' ORDER BY position")) {
      while (rs.next()) {
        points.add(new GenerationParameters(rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)));
      }
    }
    return points;
  }

  private static void assertSamePoints(List<GenerationParameters> expected, List<GenerationParameters> actual) {
    assertEquals(expected.size(), actual.size(), "expected " + expected + ", found " + actual);
    for (int i = 0; i < expected.size(); i++) {
      double d = SearchSpace.squaredDistance(StudySpace.SPACE.encode(StudySpace.toNatural(expected.get(i))),
        StudySpace.SPACE.encode(StudySpace.toNatural(actual.get(i))));
      assertTrue(d < 1e-12, "point " + i + ": expected " + expected.get(i) + ", found " + actual.get(i));
    }
  }

  private static void assertDistinct(List<GenerationParameters> points) {
    for (int i = 0; i < points.size(); i++) {
      for (int j = 0; j < i; j++) {
        double d = SearchSpace.squaredDistance(StudySpace.SPACE.encode(StudySpace.toNatural(points.get(i))),
          StudySpace.SPACE.encode(StudySpace.toNatural(points.get(j))));
        assertTrue(d > 1e-4, "points " + i + " and " + j + " are the same: " + points.get(i));
      }
    }
  }

  // ------------------------------------------------------------------ tests

  /**
   * A challenger prompt rated one star below the current one in every A/B pair (both arms at the same parameters,
   * as the http verticle renders them during a test) leaves the study's best setting and estimate where the same
   * data without the prompt's effect put them — also after a restart, when the model is rebuilt from the stored
   * observations.
   */
  @Test
  void aChallengerRatedOneStarLowerEverywhereDoesNotMoveTheBestEstimate() throws Exception {
    StudyStatus withoutEffect = abTrained(0);
    TestDatabase.reset();
    StudyStatus withEffect = abTrained(-1);
    assertEquals(withoutEffect.samples(), withEffect.samples());
    assertEquals(withoutEffect.bestParameters(), withEffect.bestParameters());
    assertEquals(withoutEffect.bestRating(), withEffect.bestRating(), 1e-9);
    assertEquals(withoutEffect.bestObservedAverage(), withEffect.bestObservedAverage(), 1e-9);
    assertEquals(withoutEffect.bestObservedCount(), withEffect.bestObservedCount());
    assertEquals(16, TestDatabase.count("SELECT count(*) FROM optimizer_observations WHERE ab_test"));
    assertEquals(8, TestDatabase.count("SELECT count(*) FROM optimizer_observations WHERE prompt_version = '"
      + RatingRows.CANDIDATE + "'"));
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM optimizer_observations o JOIN rated_variants v"
      + " ON v.rating_id = o.rating_id WHERE o.experiment_id <> v.experiment_id"));

    deploy(config());
    StudyStatus rebuilt = status("structure");
    assertEquals(withEffect.bestParameters(), rebuilt.bestParameters());
    assertEquals(withEffect.bestRating(), rebuilt.bestRating(), 0.05, "the same observations, refitted");
  }

  /** Twelve ratings of the current prompt, then eight A/B pairs at the study's suggestions; undeploys after. */
  private StudyStatus abTrained(int challengerEffect) throws Exception {
    String id = deploy(config());
    train("structure", 6);
    StudyStatus status = null;
    for (int i = 0; i < 8; i++) {
      GenerationParameters point = suggest("structure", 1).suggestions().get(0);
      int control = Math.max(2, (int) rating(point));
      RatingsRecorded event = RatingRows.storeAbPair("structure", new Observation(point, control, "ana@example.com"),
        new Observation(point, control + challengerEffect, "ana@example.com"));
      status = statusThrough("structure", event.throughRatingId());
    }
    await(vertx.undeploy(id));
    return status;
  }

  @Test
  void answersItsPing() throws Exception {
    deploy(config());
    assertTrue(request(Addresses.ping("optimizer"), new JsonObject()).body().getBoolean("ok"));
  }

  @Test
  void startsWithTheSpaceFillingDesignThenUsesTheModel() throws Exception {
    deploy(config());
    SuggestReply first = suggest("structure", 2);
    assertEquals(SuggestReply.INITIAL_DESIGN, first.strategy());
    assertEquals(2, first.suggestions().size());
    assertDistinct(first.suggestions());

    StudyStatus status = train("structure", 2);
    assertEquals(4, status.samples());
    assertEquals("gp-matern52-ard", status.model());
    assertNotNull(status.bestRating());
    assertNotNull(status.bestParameters());
    assertTrue(status.convergence() >= 0 && status.convergence() <= 1);
    assertTrue(status.estimatedTrialsRemaining() >= 1 && status.estimatedTrialsRemaining() <= 46);

    SuggestReply modelled = suggest("structure", 2);
    assertEquals(SuggestReply.GP_UCB, modelled.strategy());
    assertNull(modelled.fallbackReason());
    assertDistinct(modelled.suggestions());
    Eventually.until("both study updates are published", () -> updates.size() == 2);
    assertEquals("structure", updates.get(1).getString("study"));
    assertEquals(0, status("surfaces").samples(), "the other mode's study is separate");
  }

  @Test
  void concurrentRequestsForOneStudyAreSerialisedAndNeverRepeatAPoint() throws Exception {
    deploy(config());
    train("surfaces", 3);
    List<Future<Message<JsonObject>>> replies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      replies.add(vertx.eventBus().request(Addresses.OPTIMIZER_SUGGEST, new SuggestRequest("surfaces", 2).toJson(),
        new DeliveryOptions().setSendTimeout(60_000)));
    }
    List<GenerationParameters> all = new ArrayList<>();
    for (Future<Message<JsonObject>> reply : replies) {
      SuggestReply suggestion = SuggestReply.fromJson(await(reply).body());
      assertEquals(SuggestReply.GP_UCB, suggestion.strategy());
      all.addAll(suggestion.suggestions());
    }
    assertEquals(10, all.size());
    assertDistinct(all);
  }

  @Test
  void rebuildsTheModelFromStoredObservationsAfterARedeploy() throws Exception {
    String id = deploy(config());
    StudyStatus before = train("structure", 4);
    assertEquals(8, before.samples());
    await(vertx.undeploy(id));
    // Ratings stored while the optimizer was away (their event reached nobody) are learnt at start too.
    RatingRows.store("structure", List.of(rated("stablediffusion", 0.3, 9, 0.9, 5)))
      .forEach(e -> vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, e.toJson()));
    assertTrue(TestDatabase.count("SELECT count(*) FROM optimizer_studies WHERE model_state ? 'theta'") >= 1,
      "the warm state was kept");

    deploy(config());
    StudyStatus after = status("structure");
    assertEquals(9, after.samples());
    assertNotNull(after.bestRating());
    assertEquals(SuggestReply.GP_UCB, suggest("structure", 2).strategy());
    assertEquals(0, status("surfaces").samples());
    assertLearntExactlyOnce("structure");
  }

  @Test
  void pendingSuggestionsOutliveARestartUntilTheyAreRated() throws Exception {
    String id = deploy(config());
    train("structure", 3);
    SuggestReply first = suggest("structure", 2);
    assertSamePoints(first.suggestions(), storedPending("structure"));
    await(vertx.undeploy(id));
    // One of them is rated while no optimizer runs (a node taking the optimizer over starts like this).
    RatingRows.store("structure", List.of(new Observation(first.suggestions().get(0), 4, "trainer@example.com")));

    deploy(config());
    SuggestReply second = suggest("structure", 2);
    // The unrated one was reloaded and still keeps suggestions away; the rated one was dropped.
    assertSamePoints(List.of(first.suggestions().get(1), second.suggestions().get(0), second.suggestions().get(1)),
      storedPending("structure"));
    assertDistinct(List.of(first.suggestions().get(1), second.suggestions().get(0), second.suggestions().get(1)));
  }

  @Test
  void expiredPendingSuggestionsAreNotReloaded() throws Exception {
    String id = deploy(config());
    train("surfaces", 3);
    suggest("surfaces", 2);
    await(vertx.undeploy(id));
    TestDatabase.execute("UPDATE optimizer_pending SET expires_at = now() - interval '1 second'");

    deploy(config());
    SuggestReply next = suggest("surfaces", 2);
    assertSamePoints(next.suggestions(), storedPending("surfaces"));
  }

  @Test
  void ratingsCommittedWhileUndeployedAreLearntExactlyOnceAtTheNextStart() throws Exception {
    String id = deploy(config());
    train("surfaces", 2);
    await(vertx.undeploy(id));
    List<RatingsRecorded> missed = RatingRows.store("surfaces", List.of(rated("leonardo", 0.2, 6, 0.8, 2),
      rated("stablediffusion", 0.4, 10, 0.9, 4), rated("leonardo", 0.35, 7.5, 0.75, 3)));
    missed.forEach(e -> vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, e.toJson()));

    deploy(config());
    assertEquals(7, status("surfaces").samples(), "the start-up catch-up learnt the three missed ratings");
    assertLearntExactlyOnce("surfaces");
    assertEquals(0, status("structure").samples(), "ratings of one mode never reach the other study");
  }

  @Test
  void aDroppedEventOnlyDelaysAnObservationUntilTheNextCatchUp() throws Exception {
    deploy(config());
    train("structure", 1);
    // Stored, but its event is lost: the study does not know it yet ...
    RatingsRecorded lost = RatingRows.store("structure", List.of(rated("leonardo", 0.25, 7, 0.8, 4))).get(0);
    assertEquals(2, status("structure").samples());
    // ... until the next event (of any later rating of the study) makes it read past its mark.
    RatingsRecorded next = RatingRows.store("structure", List.of(rated("stablediffusion", 0.3, 9, 0.9, 5))).get(0);
    assertTrue(next.throughRatingId() > lost.throughRatingId());
    vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, next.toJson());
    Eventually.until("the study learnt both ratings",
      () -> updates.stream().anyMatch(u -> u.getInteger("samples") == 4));
    assertEquals(4, status("structure").samples());
    assertLearntExactlyOnce("structure");
  }

  @Test
  void repeatedEventsAndStatusRequestsLearnEachRatingOnce() throws Exception {
    deploy(config());
    List<RatingsRecorded> events = RatingRows.store("structure", List.of(rated("leonardo", 0.2, 6, 0.8, 2),
      rated("stablediffusion", 0.4, 10, 0.9, 4), rated("leonardo", 0.3, 8, 0.85, 3),
      rated("stablediffusion", 0.3, 9, 0.9, 5)));
    long through = events.get(events.size() - 1).throughRatingId();
    List<Future<Message<JsonObject>>> asked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.forEach(e -> vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, e.toJson()));
      asked.add(vertx.eventBus().request(Addresses.OPTIMIZER_STATUS, new StatusRequest("structure", through).toJson(),
        new DeliveryOptions().setSendTimeout(60_000)));
    }
    for (Future<Message<JsonObject>> reply : asked) {
      assertEquals(4, StudyStatus.fromJson(await(reply).body()).samples());
    }
    assertEquals(4, statusThrough("structure", through).samples());
    assertLearntExactlyOnce("structure");
  }

  @Test
  void aStatusRequestThroughARatingTheStudyDoesNotHaveIsNotFound() throws Exception {
    deploy(config());
    RatingsRecorded surfaces = RatingRows.store("surfaces", List.of(rated("leonardo", 0.2, 6, 0.8, 2))).get(0);
    assertEquals(FailureCodes.NOT_FOUND, failure(Addresses.OPTIMIZER_STATUS,
      new StatusRequest("structure", surfaces.throughRatingId()).toJson()).failureCode());
    assertEquals(FailureCodes.NOT_FOUND, failure(Addresses.OPTIMIZER_STATUS,
      new StatusRequest("structure", 999_999).toJson()).failureCode());
    assertEquals(1, statusThrough("surfaces", surfaces.throughRatingId()).samples());
  }

  @Test
  void sameHistoryAfterARedeployGivesTheSameStatus() throws Exception {
    String id = deploy(config());
    train("structure", 3);
    StudyStatus before = status("structure");
    await(vertx.undeploy(id));
    deploy(config());
    StudyStatus after = status("structure");
    assertEquals(before.samples(), after.samples());
    assertEquals(before.bestRating(), after.bestRating(), 0.05);
    assertEquals(before.phase1Complete(), after.phase1Complete());
  }

  @Test
  void adminOverrideEndsAndReopensPhaseOneDurably() throws Exception {
    String id = deploy(config());
    train("structure", 1);
    StudyStatus ended = override("structure", true);
    assertTrue(ended.phase1Complete());
    assertEquals("override", ended.phase1Reason());
    assertEquals(0, ended.estimatedTrialsRemaining());
    assertEquals("override", storedPhase1("structure"));
    Eventually.until("a study update says phase 1 is complete",
      () -> updates.stream().anyMatch(u -> u.getBoolean("phase_1_complete")));

    await(vertx.undeploy(id));
    deploy(config());
    assertEquals("override", status("structure").phase1Reason(), "kept across a redeploy");

    StudyStatus reopened = override("structure", false);
    assertFalse(reopened.phase1Complete());
    assertNull(reopened.phase1Reason());
    assertNull(storedPhase1("structure"));
  }

  @Test
  void phaseOneEndsAtTheSampleLimit() throws Exception {
    deploy(config().put("max_samples", 6));
    StudyStatus status = train("surfaces", 2);
    assertFalse(status.phase1Complete());
    status = train("surfaces", 1);
    assertEquals(6, status.samples());
    assertTrue(status.phase1Complete());
    assertEquals("samples", status.phase1Reason());
    assertEquals("samples", storedPhase1("surfaces"));
    assertNull(storedPhase1("structure"));
  }

  @Test
  void phaseOneEndsWhenTheDataShowTheBestRatesTheTarget() throws Exception {
    deploy(config());
    GenerationParameters good = new GenerationParameters("stablediffusion", 0.3, 9, 0.9);
    // One 5 inside the initial design does not end phase 1 on its own ...
    StudyStatus status = rate("structure", List.of(new Observation(good, 5, "a@example.com")));
    assertFalse(status.phase1Complete());
    // ... nor do consistent ratings of the same setting, from several trainers, while fewer distinct settings than the
    // initial design's (4 here) are rated: eight ratings of three settings ...
    status = rate("structure", List.of(
      new Observation(good, 5, "b@example.com"), new Observation(good, 5, "c@example.com"),
      new Observation(good, 4, "d@example.com"), new Observation(good, 5, "e@example.com"),
      new Observation(good, 5, "f@example.com"),
      new Observation(new GenerationParameters("leonardo", 0.1, 5, 0.7), 1, "a@example.com"),
      new Observation(new GenerationParameters("leonardo", 0.5, 12, 0.99), 1, "b@example.com")));
    assertEquals(8, status.samples());
    assertFalse(status.phase1Complete(), status.phase1Detail());
    // ... but they do once the design is complete.
    status = rate("structure", List.of(
      new Observation(new GenerationParameters("leonardo", 0.1, 12, 0.99), 1, "c@example.com"),
      new Observation(new GenerationParameters("stablediffusion", 0.5, 5, 0.7), 1, "d@example.com"),
      new Observation(new GenerationParameters("stablediffusion", 0.1, 12, 0.7), 2, "e@example.com"),
      new Observation(new GenerationParameters("leonardo", 0.5, 5, 0.99), 1, "f@example.com"),
      new Observation(new GenerationParameters("stablediffusion", 0.5, 12, 0.99), 2, "a@example.com")));
    assertEquals(13, status.samples());
    assertTrue(status.bestLower() >= 4.0, status.phase1Detail());
    assertEquals(6, status.bestObservedCount(), status.phase1Detail());
    assertTrue(status.phase1Detail().startsWith("ended (rating)"), status.phase1Detail());
    assertTrue(status.phase1Complete());
    assertEquals("rating", status.phase1Reason());
    assertEquals(good.api(), status.bestParameters().api());
    assertEquals("rating", storedPhase1("structure"));
  }

  @Test
  void fallsBackToRandomPointsWhenTheStudyIsBeyondTheModelLimit() throws Exception {
    deploy(config().put("initial_design", 2).put("max_model_observations", 3));
    train("structure", 2);
    SuggestReply reply = suggest("structure", 2);
    assertEquals(SuggestReply.RANDOM_FALLBACK, reply.strategy());
    assertTrue(reply.fallbackReason().contains("model limit"), reply.fallbackReason());
    assertEquals(2, reply.suggestions().size());
    assertDistinct(reply.suggestions());
    Eventually.until("the fallback event is published", () -> fallbacks.size() == 1);
    assertEquals("structure", fallbacks.get(0).getString("study"));
    assertEquals(reply.fallbackReason(), fallbacks.get(0).getString("reason"));
    assertTrue(status("structure").model().startsWith("unavailable"));
  }

  @Test
  void fallsBackToRandomPointsWhenTheModelIsTooSlow() throws Exception {
    String id = deploy(config().put("initial_design", 2));
    train("surfaces", 3);
    await(vertx.undeploy(id));
    // A millisecond budget against a search over many candidates: the answer cannot wait for the model.
    deploy(config().put("initial_design", 2).put("model_timeout_ms", 1).put("candidates", 200_000));
    SuggestReply reply = suggest("surfaces", 2);
    assertEquals(SuggestReply.RANDOM_FALLBACK, reply.strategy());
    assertTrue(reply.fallbackReason().contains("longer than 1 ms"), reply.fallbackReason());
    assertDistinct(reply.suggestions());
    Eventually.until("the fallback event is published", () -> fallbacks.size() == 1);
    // The late model answer is dropped and the study keeps working.
    assertEquals(6, status("surfaces").samples());
  }

  @Test
  void refusesBadRequestsWithInvalidRequest() throws Exception {
    deploy(config());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_SUGGEST,
      new JsonObject().put("study", "kitchen").put("count", 2)).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_SUGGEST,
      new JsonObject().put("study", "structure").put("count", 0)).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_SUGGEST, "structure").failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_STATUS,
      new JsonObject().put("study", "attic")).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_STATUS,
      new JsonObject().put("study", "structure").put("through_rating_id", -1)).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_STATUS,
      new JsonObject().put("study", "structure").put("through_rating_id", "12")).failureCode());
    // A malformed ratings event is dropped with a warning; the verticle keeps answering.
    vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, new JsonObject().put("mode", "garden"));
    vertx.eventBus().publish(Addresses.EVENT_RATINGS_RECORDED, "not json");
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_PHASE1_OVERRIDE,
      new JsonObject().put("study", "structure")).failureCode());
    assertEquals(FailureCodes.INVALID_REQUEST, failure(Addresses.OPTIMIZER_PHASE1_OVERRIDE,
      new JsonObject().put("study", "structure").put("complete", "yes")).failureCode());
    assertEquals(0, status("structure").samples(), "nothing was learnt from refused requests");
  }

  @Test
  void reportsAStorageFailureWhenPhaseOneCannotBeStored() throws Exception {
    deploy(config());
    TestDatabase.execute("ALTER TABLE optimizer_studies ADD CONSTRAINT refuse_override_in_test "
      + "CHECK (phase1_reason IS DISTINCT FROM 'override') NOT VALID");
    try {
      assertEquals(FailureCodes.STORAGE_FAILED, failure(Addresses.OPTIMIZER_PHASE1_OVERRIDE,
        new JsonObject().put("study", "structure").put("complete", true)).failureCode());
    } finally {
      TestDatabase.execute("ALTER TABLE optimizer_studies DROP CONSTRAINT refuse_override_in_test");
    }
    assertNull(storedPhase1("structure"));
  }

  @Test
  void refusesToStartWithoutADatabaseConfig() {
    Exception e = assertThrows(Exception.class, () -> deploy(new JsonObject().put("seed", 1)));
    assertTrue(e.getMessage().contains("db"), e.getMessage());
    Exception bad = assertThrows(Exception.class, () -> deploy(config().put("initial_design", "many")));
    assertTrue(bad.getMessage().contains("initial_design"), bad.getMessage());
    Exception heavy = assertThrows(Exception.class, () -> deploy(config().put("predicted_noise_factor", 0.5)));
    assertTrue(heavy.getMessage().contains("predicted_noise_factor"), heavy.getMessage());
    Exception negative = assertThrows(Exception.class, () -> deploy(config().put("max_predicted", -1)));
    assertTrue(negative.getMessage().contains("max_predicted"), negative.getMessage());
    Exception switchValue = assertThrows(Exception.class, () -> deploy(config().put("use_predicted_ratings", "yes")));
    assertTrue(switchValue.getMessage().contains("use_predicted_ratings"), switchValue.getMessage());
    Exception spread = assertThrows(Exception.class, () -> deploy(config().put("spread_below", 6)));
    assertTrue(spread.getMessage().contains("spread_below"), spread.getMessage());
    Exception rule = assertThrows(Exception.class, () -> deploy(config().put("acquisition", "thompson")));
    assertTrue(rule.getMessage().contains("acquisition must be \"ucb\" or \"ei\""), rule.getMessage());
    Exception ruleType = assertThrows(Exception.class, () -> deploy(config().put("acquisition", 1)));
    assertTrue(ruleType.getMessage().contains("acquisition"), ruleType.getMessage());
    Exception width = assertThrows(Exception.class, () -> deploy(config().put("ucb_width", 0)));
    assertTrue(width.getMessage().contains("ucb_width"), width.getMessage());
  }

  /** The model's points follow the configured acquisition, and the reply names it. */
  @Test
  void theReplyNamesTheConfiguredAcquisition() throws Exception {
    String id = deploy(config().put("acquisition", "ei"));
    train("structure", 2);
    assertEquals(SuggestReply.GP_EI, suggest("structure", 2).strategy());
    await(vertx.undeploy(id));
    deploy(config().put("acquisition", "ucb").put("ucb_width", 2.0));
    assertEquals(SuggestReply.GP_UCB, suggest("structure", 2).strategy());
  }

  // ------------------------------------------------------------------ predicted ratings

  private static final GenerationParameters FAR = new GenerationParameters("leonardo", 0.45, 11.5, 0.72);

  /**
   * With {@code use_predicted_ratings} the reward model's predictions of candidates no trainer saw reach the study
   * when their experiment is announced, and only as predictions: no observation is stored and the sample count is
   * the ratings'; one at a rated setting is not learnt, and a later rating near one takes its place. After a restart
   * they are read afresh.
   */
  @Test
  void predictedRatingsOfUnshownCandidatesReachTheStudyButNeverCountAsSamples() throws Exception {
    String id = deploy(config().put("use_predicted_ratings", true));
    StudyStatus trained = train("structure", 4);
    ExperimentCreated event = RatingRows.storeUnshown("structure", List.of(new RatingRows.Unshown(FAR, 4.8, 0.4),
      new RatingRows.Unshown(trained.bestParameters(), 1.2, 0.4)));
    vertx.eventBus().publish(Addresses.EVENT_EXPERIMENT_CREATED, event.toJson());

    StudyStatus learnt = Eventually.value("the far prediction is learnt", () -> status("structure"),
      s -> s.predictedObservations() == 1);
    assertEquals(trained.samples(), learnt.samples(), "predictions are not samples");
    assertEquals(8, learnt.samples());
    assertLearntExactlyOnce("structure");
    assertEquals(8, TestDatabase.count("SELECT count(*) FROM optimizer_observations WHERE study = 'structure'"));
    assertEquals(0, status("surfaces").predictedObservations(), "the other mode's study learns none");

    StudyStatus overtaken = rate("structure", List.of(rated("leonardo", 0.455, 11.45, 0.72, 2)));
    assertEquals(9, overtaken.samples());
    assertEquals(0, overtaken.predictedObservations(), "a rating near the prediction takes its place");

    await(vertx.undeploy(id));
    RatingRows.storeUnshown("structure", List.of(new RatingRows.Unshown(
      new GenerationParameters("stablediffusion", 0.12, 5.5, 0.95), 3.5, 0.6)));
    deploy(config().put("use_predicted_ratings", true));
    StudyStatus restarted = status("structure");
    assertEquals(9, restarted.samples());
    assertEquals(1, restarted.predictedObservations(), "read afresh at start; the overtaken one stays out");
  }

  /** Off by default: stored predictions and their events change nothing. */
  @Test
  void withoutTheSwitchPredictedRatingsAreIgnored() throws Exception {
    ExperimentCreated before = RatingRows.storeUnshown("structure", List.of(new RatingRows.Unshown(FAR, 4.8, 0.4)));
    deploy(config());
    StudyStatus trained = train("structure", 4);
    vertx.eventBus().publish(Addresses.EVENT_EXPERIMENT_CREATED, before.toJson());
    vertx.eventBus().publish(Addresses.EVENT_EXPERIMENT_CREATED,
      RatingRows.storeUnshown("structure", List.of(new RatingRows.Unshown(FAR, 4.9, 0.3))).toJson());
    StudyStatus after = status("structure");
    assertEquals(0, after.predictedObservations());
    assertEquals(trained.samples(), after.samples());
    assertEquals(trained.bestRating(), after.bestRating(), 1e-12);
  }
}
