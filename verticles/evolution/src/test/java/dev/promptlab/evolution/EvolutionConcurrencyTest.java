package dev.promptlab.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.LoggedWarnings;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several trainers rating at the same time, for real: threads writing ratings and publishing events in parallel.
 * Applying ratings to evolution reports failures only in the log ("not fully applied", a database failure), so
 * any warning of the evolution verticle fails the test.
 */
@ExtendWith(BlockedThreadGuard.class)
class EvolutionConcurrencyTest {

  private static final int TRAINERS = 8;
  private static final String UNAPPLIED_RATINGS = "SELECT count(*) FROM ratings r"
    + " WHERE NOT EXISTS (SELECT 1 FROM evolution_applied_ratings a WHERE a.rating_id = r.id)";

  @RegisterExtension
  final LoggedWarnings warnings = LoggedWarnings.under("dev.promptlab.evolution");

  @TempDir
  Path temp;
  private EvolutionHarness harness;
  private ExecutorService trainers;

  @BeforeEach
  void start() {
    harness = new EvolutionHarness(temp);
    trainers = Executors.newFixedThreadPool(TRAINERS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    trainers.shutdownNow();
    trainers.awaitTermination(30, TimeUnit.SECONDS);
    harness.close();
  }

  /** Runs {@code perTrainer} rounds of {@code work} on every trainer thread at once; rethrows any failure. */
  private void inParallel(int perTrainer, Runnable work) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < TRAINERS; t++) {
      done.add(trainers.submit(() -> {
        go.await();
        for (int i = 0; i < perTrainer; i++) {
          work.run();
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentRatingsStartExactlyOneEvolution() throws Exception {
    harness.deploy();
    inParallel(5, () -> harness.publish(TrainingRows.rateOne("v1.0.0", null, 2, "se ve plano")));
    Eventually.until("all 40 samples are counted", () ->
      TestDatabase.count("SELECT sample_count FROM prompt_versions WHERE version = 'v1.0.0'") == 40);
    Eventually.until("the evolution has ended", () ->
      TestDatabase.count("SELECT count(*) FROM evolutions WHERE status <> 'running'") == 1);
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'running'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM evolutions WHERE trigger = 'periodic' AND at_sample >= 10"));
    assertEquals(List.of("current.json", "v1.0.0.json", "v1.0.1.json"), files());
  }

  @Test
  void concurrentRatingsLoseNoAbTally() throws Exception {
    harness.with("ab_test", new JsonObject().put("samples_per_arm", 1000)).deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    inParallel(6, () -> harness.rateAssigned(2, version -> version.equals("v1.0.1") ? 4 : 3, null));
    int experiments = TRAINERS * 6;
    Eventually.until("every A/B sample is tallied", () -> TestDatabase.count(
      "SELECT control_count + candidate_count FROM ab_tests WHERE id = 1") == 2L * experiments);
    assertEquals(experiments, TestDatabase.count("SELECT control_count FROM ab_tests WHERE id = 1"));
    assertEquals(experiments, TestDatabase.count("SELECT candidate_count FROM ab_tests WHERE id = 1"));
    assertEquals(4L * experiments, TestDatabase.count("SELECT candidate_sum::bigint FROM ab_tests WHERE id = 1"));
    assertEquals(3L * experiments, TestDatabase.count("SELECT control_sum::bigint FROM ab_tests WHERE id = 1"));
    assertEquals(2L * experiments, TestDatabase.count("SELECT slots_assigned FROM ab_tests WHERE id = 1"));
    assertEquals(2L * experiments, TestDatabase.count("SELECT count(*) FROM ratings r JOIN experiment_options o"
      + " ON o.id = r.option_id WHERE o.ab_test_id = 1"));
    assertEquals(experiments, TestDatabase.count("SELECT sample_count FROM prompt_versions WHERE version = 'v1.0.1'"));
    Eventually.until("every rating is marked applied", () -> TestDatabase.count(UNAPPLIED_RATINGS) == 0);
    assertEquals(2L * experiments, TestDatabase.count("SELECT count(*) FROM evolution_applied_ratings"));
  }

  @Test
  void replayedEventsCountNothingTwiceAndLostOnesAreCaughtUpOnStart() throws Exception {
    harness.with("ab_test", new JsonObject().put("samples_per_arm", 1000)).deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    ConcurrentLinkedQueue<RatingsRecorded> events = new ConcurrentLinkedQueue<>();
    inParallel(3, () -> events.add(harness.rateAssigned(2, version -> version.equals("v1.0.1") ? 5 : 1, null)));
    int experiments = TRAINERS * 3;
    Eventually.until("every rating is applied", () -> TestDatabase.count(UNAPPLIED_RATINGS) == 0);

    // Every event delivered again, concurrently, as a redelivering bus or a retrying publisher would.
    inParallel(1, () -> events.forEach(harness::publish));
    // Ratings whose event never arrives (the process died between the commit and the publish).
    TrainingRows.rateExperiment("structure", "trainer@example.com", List.of(
      new TrainingRows.Rated("v1.0.0", 1L, 1, null), new TrainingRows.Rated("v1.0.1", 1L, 5, null)));
    // A stop waits for the passes in flight; the next start applies whatever is still pending before it answers.
    harness.undeploy();
    harness.deploy();

    assertEquals(0, TestDatabase.count(UNAPPLIED_RATINGS));
    assertEquals(2L * experiments + 2, TestDatabase.count("SELECT count(*) FROM evolution_applied_ratings"));
    assertEquals(experiments + 1, TestDatabase.count("SELECT control_count FROM ab_tests WHERE id = 1"));
    assertEquals(experiments + 1, TestDatabase.count("SELECT candidate_count FROM ab_tests WHERE id = 1"));
    assertEquals(5L * (experiments + 1), TestDatabase.count("SELECT candidate_sum::bigint FROM ab_tests WHERE id = 1"));
    assertEquals(experiments + 1, TestDatabase.count("SELECT control_sum::bigint FROM ab_tests WHERE id = 1"));
    assertEquals(2L * (experiments + 1), TestDatabase.count("SELECT sum(sample_count) FROM prompt_versions"
      + " WHERE version IN ('v1.0.0', 'v1.0.1')"));
    assertEquals(experiments + 1, TestDatabase.count("SELECT sample_count FROM prompt_versions"
      + " WHERE version = 'v1.0.1'"));
  }

  @Test
  void concurrentRatingsDecideTheTestOnce() throws Exception {
    harness.deploy();
    harness.request(Addresses.EVOLUTION_EVOLVE, new JsonObject());
    inParallel(4, () -> harness.rateAssigned(2, version -> version.equals("v1.0.1") ? 5 : 2, null));
    Eventually.until("the test is decided", () ->
      TestDatabase.count("SELECT count(*) FROM ab_tests WHERE status = 'decided'") == 1);
    Eventually.until("every rating is applied", () ->
      TestDatabase.count("SELECT sum(sample_count) FROM prompt_versions") == TRAINERS * 4 * 2);
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_decisions"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_decisions WHERE kind = 'ab_test'"
      + " AND outcome = 'promoted' AND to_version = 'v1.0.1'"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM prompt_versions WHERE is_current AND version = 'v1.0.1'"));
    assertEquals("v1.0.1", new JsonObject(Files.readString(harness.prompts.resolve("versions/current.json")))
      .getString("version"));
    Eventually.until("every rating is marked applied", () -> TestDatabase.count(UNAPPLIED_RATINGS) == 0);
  }

  private List<String> files() throws Exception {
    try (var list = Files.list(harness.prompts.resolve("versions"))) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
