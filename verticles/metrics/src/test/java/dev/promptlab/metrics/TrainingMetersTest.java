package dev.promptlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.ExperimentCreated;
import dev.promptlab.contract.GenerationFinished;
import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ProviderCircuitChanged;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.contract.StudyStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrainingMetersTest {

  private static final AtomicLong RATING_IDS = new AtomicLong();

  private static final GenerationParameters LEONARDO = new GenerationParameters("leonardo", 0.3, 7.5, 0.9);
  private static final GenerationParameters STABLE_DIFFUSION = new GenerationParameters("stablediffusion", 0.2, 9, 0.8);

  private PrometheusMeterRegistry registry;
  private TrainingMeters meters;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters = new TrainingMeters(registry);
  }

  private PrometheusText scrape() {
    return PrometheusText.parse(registry.scrape());
  }

  private static RatedOption rated(String option, GenerationParameters parameters, int rating) {
    return new RatedOption(RATING_IDS.incrementAndGet(), option, parameters, "v1.0.0", null, rating, "walls look flat", "trainer@example.com");
  }

  private static StudyStatus study(String mode, int samples, Double best, double convergence, boolean phase1Complete) {
    return new StudyStatus(mode, samples, best, convergence, 10, phase1Complete, phase1Complete ? "rating" : null,
      null, "gp");
  }

  @Test
  void knownSeriesStartAtZeroWithHelpAndType() {
    PrometheusText text = scrape();
    for (String mode : List.of("structure", "surfaces")) {
      for (String api : List.of("leonardo", "stablediffusion")) {
        for (int rating = 1; rating <= 5; rating++) {
          assertEquals(0.0, text.value("promptlab_ratings_total", "api", api, "mode", mode, "rating", "" + rating));
        }
        assertEquals(0.0, text.value("promptlab_rating_count", "api", api, "mode", mode));
      }
      for (String strategy : List.of("initial-design", "gp-ucb", "gp-ei", "random-fallback")) {
        assertEquals(0.0, text.value("promptlab_experiments_total", "mode", mode, "strategy", strategy));
      }
      assertEquals(0.0, text.value("promptlab_options_generated_total", "mode", mode));
      assertEquals(0.0, text.value("promptlab_options_failed_total", "mode", mode));
      assertEquals(0.0, text.value("promptlab_optimizer_fallbacks_total", "mode", mode));
    }
    assertEquals("counter", text.type("promptlab_ratings_total"));
    assertEquals("histogram", text.type("promptlab_rating"));
    assertTrue(text.help("promptlab_ratings_total").contains("Ratings recorded"));
    assertTrue(text.samples("promptlab_samples_collected").isEmpty(), "no gauge before anything is known");
    assertTrue(text.samples("promptlab_best_rating").isEmpty());
  }

  @Test
  void ratingsAreCountedByApiModeAndStarsWithoutPersonalData() {
    meters.onRatings(new RatingsRecorded("exp-7f3a", "structure",
      List.of(rated("A", LEONARDO, 5), rated("B", STABLE_DIFFUSION, 3)), 12));
    meters.onRatings(new RatingsRecorded("exp-8b1c", "structure",
      List.of(rated("A", LEONARDO, 4), rated("B", LEONARDO, 5)), 14));

    PrometheusText text = scrape();
    assertEquals(2.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "5"));
    assertEquals(1.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "4"));
    assertEquals(1.0,
      text.value("promptlab_ratings_total", "api", "stablediffusion", "mode", "structure", "rating", "3"));
    assertEquals(0.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "surfaces", "rating", "5"));
    assertEquals(3.0, text.value("promptlab_rating_count", "api", "leonardo", "mode", "structure"));
    assertEquals(14.0, text.value("promptlab_rating_sum", "api", "leonardo", "mode", "structure"));
    assertEquals(0.0, text.value("promptlab_rating_bucket", "api", "leonardo", "mode", "structure", "le", "3.0"));
    assertEquals(1.0, text.value("promptlab_rating_bucket", "api", "leonardo", "mode", "structure", "le", "4.0"));
    assertEquals(3.0, text.value("promptlab_rating_bucket", "api", "leonardo", "mode", "structure", "le", "5.0"));
    assertEquals(1.0,
      text.value("promptlab_rating_bucket", "api", "stablediffusion", "mode", "structure", "le", "3.0"));
    assertEquals(14.0, text.value("promptlab_samples_collected", "mode", "structure"));

    String raw = registry.scrape();
    for (String personal : List.of("exp-7f3a", "trainer@example.com", "walls look flat", "v1.0.0")) {
      assertFalse(raw.contains(personal), personal + " must not become a tag");
    }
  }

  @Test
  void aRatingOutOfRangeRejectsTheWholeEvent() {
    RatingsRecorded event = new RatingsRecorded("exp-1", "surfaces",
      List.of(rated("A", LEONARDO, 4), rated("B", LEONARDO, 6)), 3);

    assertThrows(IllegalArgumentException.class, () -> meters.onRatings(event));
    assertThrows(IllegalArgumentException.class, () -> meters.onRatings(
      new RatingsRecorded("exp-1", "surfaces", List.of(rated("A", LEONARDO, 0)), 1)));
    assertThrows(IllegalArgumentException.class, () -> meters.onRatings(
      new RatingsRecorded("exp-1", "surfaces", List.of(rated("A", LEONARDO, 3)), -1)));

    PrometheusText text = scrape();
    assertEquals(0.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "surfaces", "rating", "4"));
    assertEquals(0.0, text.value("promptlab_rating_count", "api", "leonardo", "mode", "surfaces"));
    assertTrue(text.samples("promptlab_samples_collected").isEmpty());
  }

  @Test
  void unknownModesAndApisShareOneOtherSeries() {
    meters.onRatings(new RatingsRecorded("exp-1", "ceilings", List.of(rated("A", null, 2)), 0));
    meters.onRatings(new RatingsRecorded("exp-2", null, List.of(rated("A", LEONARDO, 2)), 0));

    PrometheusText text = scrape();
    assertEquals(1.0, text.value("promptlab_ratings_total", "api", "other", "mode", "other", "rating", "2"));
    assertEquals(1.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "other", "rating", "2"));
    assertTrue(text.samples("promptlab_ratings_total").stream()
      .noneMatch(s -> s.labels().containsValue("ceilings")));
  }

  @Test
  void experimentsAreCountedByModeAndStrategyWithTheirOptions() {
    meters.onExperiment(new ExperimentCreated("exp-1", "structure", 2, 0, "gp-ei"));
    meters.onExperiment(new ExperimentCreated("exp-2", "structure", 1, 1, "random-fallback"));
    meters.onExperiment(new ExperimentCreated("exp-3", "surfaces", 2, 0, "something-new"));
    meters.onExperiment(new ExperimentCreated("exp-4", "structure", 2, 0, "gp-ucb"));

    PrometheusText text = scrape();
    assertEquals(1.0, text.value("promptlab_experiments_total", "mode", "structure", "strategy", "gp-ei"));
    assertEquals(1.0, text.value("promptlab_experiments_total", "mode", "structure", "strategy", "gp-ucb"));
    assertEquals(1.0, text.value("promptlab_experiments_total", "mode", "structure", "strategy", "random-fallback"));
    assertEquals(0.0, text.value("promptlab_experiments_total", "mode", "structure", "strategy", "initial-design"));
    assertEquals(1.0, text.value("promptlab_experiments_total", "mode", "surfaces", "strategy", "other"));
    assertEquals(5.0, text.value("promptlab_options_generated_total", "mode", "structure"));
    assertEquals(1.0, text.value("promptlab_options_failed_total", "mode", "structure"));
    assertEquals(2.0, text.value("promptlab_options_generated_total", "mode", "surfaces"));
  }

  @Test
  void negativeOptionCountsAreRejected() {
    assertThrows(IllegalArgumentException.class,
      () -> meters.onExperiment(new ExperimentCreated("exp-1", "structure", -1, 0, "gp-ei")));
    assertThrows(IllegalArgumentException.class,
      () -> meters.onExperiment(new ExperimentCreated("exp-1", "structure", 2, -2, "gp-ei")));
    assertEquals(0.0, scrape().value("promptlab_experiments_total", "mode", "structure", "strategy", "gp-ei"));
  }

  @Test
  void generationDurationsLandInSecondBucketsByProviderAndOutcome() {
    meters.onGeneration(new GenerationFinished("local", "structure", "success", null, 40));
    meters.onGeneration(new GenerationFinished("local", "structure", "success", null, 700));
    meters.onGeneration(new GenerationFinished("leonardo", "surfaces", "success", null, 95_000));

    PrometheusText text = scrape();
    assertEquals("histogram", text.type("promptlab_generation_seconds"));
    assertEquals(2.0, text.value("promptlab_generation_seconds_count", "provider", "local", "outcome", "success"));
    assertEquals(0.74, text.value("promptlab_generation_seconds_sum", "provider", "local", "outcome", "success"), 1e-9);
    assertEquals(1.0,
      text.value("promptlab_generation_seconds_bucket", "provider", "local", "outcome", "success", "le", "0.05"));
    assertEquals(1.0,
      text.value("promptlab_generation_seconds_bucket", "provider", "local", "outcome", "success", "le", "0.5"));
    assertEquals(2.0,
      text.value("promptlab_generation_seconds_bucket", "provider", "local", "outcome", "success", "le", "1.0"));
    assertEquals(0.0,
      text.value("promptlab_generation_seconds_bucket", "provider", "leonardo", "outcome", "success", "le", "60.0"));
    assertEquals(1.0,
      text.value("promptlab_generation_seconds_bucket", "provider", "leonardo", "outcome", "success", "le", "120.0"));
    assertTrue(text.samples("promptlab_generation_errors_total").isEmpty(), "successes are not errors");
  }

  @Test
  void failedGenerationsAreCountedByErrorKind() {
    meters.onGeneration(new GenerationFinished("leonardo", "structure", "failure", "timeout", 30_000));
    meters.onGeneration(new GenerationFinished("leonardo", "structure", "failure", "timeout", 30_000));
    meters.onGeneration(new GenerationFinished("replicate", "surfaces", "failure", "circuit_open", 0));
    meters.onGeneration(new GenerationFinished("replicate", "surfaces", "failure", "HTTP 418 from host x", 12));
    meters.onGeneration(new GenerationFinished("replicate", "surfaces", "failure", null, 12));

    PrometheusText text = scrape();
    assertEquals(2.0, text.value("promptlab_generation_errors_total", "provider", "leonardo", "error_kind", "timeout"));
    assertEquals(1.0,
      text.value("promptlab_generation_errors_total", "provider", "replicate", "error_kind", "circuit_open"));
    assertEquals(2.0, text.value("promptlab_generation_errors_total", "provider", "replicate", "error_kind", "other"));
    assertEquals(3.0, text.value("promptlab_generation_seconds_count", "provider", "replicate", "outcome", "failure"));
  }

  @Test
  void providerTagsStayFewAndWellFormed() {
    meters.onGeneration(new GenerationFinished(" Local ", "structure", "success", null, 10));
    meters.onGeneration(new GenerationFinished("6f1c2b9e-aa41-4b7e-9d65-1f0b4e7c9a11/req", "structure", "success",
      null, 10));
    for (int i = 0; i < MeterState.MAX_PROVIDERS + 5; i++) {
      meters.onGeneration(new GenerationFinished("provider" + i, "structure", "success", null, 10));
    }

    PrometheusText text = scrape();
    assertEquals(1.0, text.value("promptlab_generation_seconds_count", "provider", "local", "outcome", "success"));
    long providers = text.samples("promptlab_generation_seconds_count").stream()
      .map(s -> s.labels().get("provider")).distinct().count();
    assertEquals(MeterState.MAX_PROVIDERS + 1, providers, "at most MAX_PROVIDERS names plus 'other'");
    // "local" and provider0..provider14 fill the 16 names; the id-like name and provider15..provider20 are "other"
    assertEquals(7.0, text.value("promptlab_generation_seconds_count", "provider", "other", "outcome", "success"));
  }

  @Test
  void circuitStatesAreOneGaugePerProvider() {
    meters.onCircuit(new ProviderCircuitChanged("leonardo", ProviderCircuitChanged.CLOSED));
    meters.onCircuit(new ProviderCircuitChanged("replicate", ProviderCircuitChanged.CLOSED));
    assertEquals(0.0, scrape().value("promptlab_provider_circuit_state", "provider", "leonardo"));
    meters.onCircuit(new ProviderCircuitChanged("leonardo", ProviderCircuitChanged.OPEN));
    assertEquals(2.0, scrape().value("promptlab_provider_circuit_state", "provider", "leonardo"));
    meters.onCircuit(new ProviderCircuitChanged("Leonardo", ProviderCircuitChanged.HALF_OPEN));
    PrometheusText text = scrape();
    assertEquals(1.0, text.value("promptlab_provider_circuit_state", "provider", "leonardo"));
    assertEquals(0.0, text.value("promptlab_provider_circuit_state", "provider", "replicate"));
    assertEquals(2, text.samples("promptlab_provider_circuit_state").size());

    assertThrows(IllegalArgumentException.class,
      () -> meters.onCircuit(new ProviderCircuitChanged("leonardo", "ajar")));
    assertThrows(IllegalArgumentException.class, () -> meters.onCircuit(new ProviderCircuitChanged("leonardo", null)));
    assertEquals(1.0, scrape().value("promptlab_provider_circuit_state", "provider", "leonardo"), "unchanged");
  }

  @Test
  void aNegativeDurationIsRejected() {
    assertThrows(IllegalArgumentException.class,
      () -> meters.onGeneration(new GenerationFinished("local", "structure", "success", null, -5)));
    assertTrue(scrape().samples("promptlab_generation_seconds_count").isEmpty());
  }

  @Test
  void studyUpdatesSetTheStudyGauges() {
    meters.onStudy(study("structure", 0, null, 0.0, false));
    PrometheusText before = scrape();
    assertEquals(0.0, before.value("promptlab_samples_collected", "mode", "structure"));
    assertEquals(0.0, before.value("promptlab_phase1_complete", "mode", "structure"));
    assertTrue(before.samples("promptlab_best_rating").isEmpty(), "no best rating before any observation");

    meters.onStudy(study("structure", 31, 4.12, 0.8, true));
    PrometheusText after = scrape();
    assertEquals("gauge", after.type("promptlab_best_rating"));
    assertEquals(31.0, after.value("promptlab_samples_collected", "mode", "structure"));
    assertEquals(4.12, after.value("promptlab_best_rating", "mode", "structure"), 1e-9);
    assertEquals(0.8, after.value("promptlab_study_convergence", "mode", "structure"), 1e-9);
    assertEquals(1.0, after.value("promptlab_phase1_complete", "mode", "structure"));
    assertTrue(after.find("promptlab_samples_collected", "mode", "surfaces").isEmpty());
  }

  @Test
  void invalidStudyStatusesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> meters.onStudy(study("structure", -1, null, 0.5, false)));
    assertThrows(IllegalArgumentException.class, () -> meters.onStudy(study("structure", 3, null, 1.5, false)));
    assertThrows(IllegalArgumentException.class, () -> meters.onStudy(study("structure", 3, Double.NaN, 0.5, false)));
    assertTrue(scrape().samples("promptlab_samples_collected").isEmpty());
  }

  @Test
  void seedingFillsOnlyWhatIsUnknown() {
    meters.onStudy(study("structure", 10, 3.5, 0.4, false));
    meters.seedStudy(study("structure", 3, 2.0, 0.1, false));
    meters.seedStudy(study("surfaces", 7, 3.9, 0.3, true));

    PrometheusText text = scrape();
    assertEquals(10.0, text.value("promptlab_samples_collected", "mode", "structure"));
    assertEquals(3.5, text.value("promptlab_best_rating", "mode", "structure"));
    assertEquals(7.0, text.value("promptlab_samples_collected", "mode", "surfaces"));
    assertEquals(1.0, text.value("promptlab_phase1_complete", "mode", "surfaces"));

    meters.onStudy(study("surfaces", 8, 4.0, 0.35, true));
    assertEquals(8.0, scrape().value("promptlab_samples_collected", "mode", "surfaces"), "events still update seeds");
  }

  @Test
  void ratingsAndStudyUpdatesShareTheSamplesGauge() {
    meters.onRatings(new RatingsRecorded("exp-1", "surfaces", List.of(rated("A", LEONARDO, 3)), 5));
    meters.onStudy(study("surfaces", 6, 3.0, 0.2, false));
    PrometheusText text = scrape();
    assertEquals(6.0, text.value("promptlab_samples_collected", "mode", "surfaces"));
    assertEquals(1, text.samples("promptlab_samples_collected").size());
  }

  @Test
  void fallbacksAreCountedByMode() {
    meters.onFallback("surfaces");
    meters.onFallback("surfaces");
    meters.onFallback(null);

    PrometheusText text = scrape();
    assertEquals(2.0, text.value("promptlab_optimizer_fallbacks_total", "mode", "surfaces"));
    assertEquals(0.0, text.value("promptlab_optimizer_fallbacks_total", "mode", "structure"));
    assertEquals(1.0, text.value("promptlab_optimizer_fallbacks_total", "mode", "other"));
  }

  @Test
  void rejectedEventsAreCountedByEvent() {
    meters.onRejectedEvent("ratings_recorded");
    meters.onRejectedEvent("ratings_recorded");
    assertEquals(2.0, scrape().value("promptlab_metrics_events_rejected_total", "event", "ratings_recorded"));
  }

  @Test
  void aSecondInstanceOnTheSameRegistryContinuesTheSameMeters() {
    meters.onRatings(new RatingsRecorded("exp-1", "structure", List.of(rated("A", LEONARDO, 4)), 1));
    meters.onStudy(study("structure", 1, 4.0, 0.1, false));
    meters.onGeneration(new GenerationFinished("local", "structure", "success", null, 20));

    TrainingMeters redeployed = new TrainingMeters(registry);
    PrometheusText untouched = scrape();
    assertEquals(1.0,
      untouched.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "4"));
    assertEquals(1.0, untouched.value("promptlab_samples_collected", "mode", "structure"));

    redeployed.onRatings(new RatingsRecorded("exp-2", "structure", List.of(rated("A", LEONARDO, 4)), 2));
    redeployed.onStudy(study("structure", 2, 4.3, 0.2, false));
    redeployed.onGeneration(new GenerationFinished("local", "structure", "success", null, 20));

    PrometheusText text = scrape();
    assertEquals(2.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "4"));
    assertEquals(2.0, text.value("promptlab_samples_collected", "mode", "structure"),
      "the gauge reads what the new instance writes");
    assertEquals(4.3, text.value("promptlab_best_rating", "mode", "structure"));
    assertEquals(2.0, text.value("promptlab_generation_seconds_count", "provider", "local", "outcome", "success"));
    assertEquals(1, text.samples("promptlab_best_rating").size());
  }

  @Test
  void separateRegistriesDoNotShareGaugeValues() {
    meters.onStudy(study("structure", 9, 3.0, 0.1, false));
    PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new TrainingMeters(other).onStudy(study("structure", 2, 2.0, 0.1, false));

    assertEquals(9.0, scrape().value("promptlab_samples_collected", "mode", "structure"));
    assertEquals(2.0, PrometheusText.parse(other.scrape()).value("promptlab_samples_collected", "mode", "structure"));
  }

  @Test
  void openMetricsScrapeIsValidToo() {
    meters.onRatings(new RatingsRecorded("exp-1", "structure", List.of(rated("A", LEONARDO, 4)), 1));
    meters.onGeneration(new GenerationFinished("local", "structure", "failure", "timeout", 20));
    PrometheusText text = PrometheusText.parse(
      registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    assertEquals("counter", text.type("promptlab_ratings"));
    assertEquals(1.0, text.value("promptlab_ratings_total", "api", "leonardo", "mode", "structure", "rating", "4"));
    assertEquals(1.0, text.value("promptlab_generation_errors_total", "provider", "local", "error_kind", "timeout"));
  }
}
