package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.SampleImages;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the packaged server while trainers rate in parallel, then {@code java -jar} again on the
 * same data directory: every rating that was acknowledged (2xx) is there, with its values. Once with the JVM
 * alone killed (the embedded PostgreSQL lives on and must be dealt with at the next start), once with the
 * JVM and every database process killed together (PostgreSQL's crash recovery).
 *
 * <p>The kill is an event, not a moment in time: it happens as soon as a given number of ratings were
 * acknowledged, while the other raters still have requests in flight. {@code -Dcrash.rounds=N} repeats the
 * crash N times per case (default 1); each round prints its figures.
 */
class CrashRecoveryIT {

  private static final int RATERS = 6;
  private static final int ROUNDS = Integer.getInteger("crash.rounds", 1);

  /** What one acknowledged rating submission said. */
  private record Acknowledged(String experimentId, int ratingA, int ratingB) {
  }

  @Test
  void acknowledgedRatingsSurviveAKilledJvm() throws Exception {
    crashRounds("jvm", false);
  }

  @Test
  void acknowledgedRatingsSurviveAKilledJvmAndDatabase() throws Exception {
    crashRounds("jvm-and-database", true);
  }

  private void crashRounds(String name, boolean withDatabase) throws Exception {
    try (PackagedServer server = PackagedServer.createShortLived("crash-" + name, Map.of())) {
      System.out.printf("[crash %s] first start: up in %d ms%n", name, server.start());
      Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
      Random random = new Random(42);
      for (int round = 1; round <= ROUNDS; round++) {
        List<JsonObject> experiments = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
          experiments.add(upload(server, random));
        }
        int before = acknowledged.size();
        int attempted = rateUntilKilled(server, experiments, acknowledged, random, withDatabase);
        long restart = server.start();
        assertTrue(ready(server), "ready after the restart");
        int lost = lost(server, acknowledged);
        System.out.printf("[crash %s] round %d: %d submissions sent, %d acknowledged before the kill, %d lost;"
          + " java -jar up again in %d ms%n", name, round, attempted, acknowledged.size() - before, lost, restart);
        assertEquals(0, lost, "acknowledged ratings lost");
      }
    }
  }

  private static JsonObject upload(PackagedServer server, Random random) throws Exception {
    return server.upload(SampleImages.jpeg(320 + random.nextInt(64), 240), random.nextBoolean() ? "structure" : "surfaces");
  }

  /**
   * Raters take experiments from a queue and submit both ratings; once {@code experiments/2} submissions were
   * acknowledged the server is killed while the others are in flight. Returns how many submissions were sent.
   */
  private static int rateUntilKilled(PackagedServer server, List<JsonObject> experiments,
                                     Map<String, Acknowledged> acknowledged, Random random, boolean withDatabase)
    throws Exception {
    ConcurrentLinkedQueue<JsonObject> queue = new ConcurrentLinkedQueue<>(experiments);
    CountDownLatch killNow = new CountDownLatch(experiments.size() / 2);
    AtomicInteger sent = new AtomicInteger();
    ExecutorService raters = Executors.newFixedThreadPool(RATERS);
    for (int r = 0; r < RATERS; r++) {
      long seed = random.nextLong();
      raters.submit(() -> {
        Random own = new Random(seed);
        for (JsonObject experiment = queue.poll(); experiment != null; experiment = queue.poll()) {
          Acknowledged rating = new Acknowledged(experiment.getString("experiment_id"), 1 + own.nextInt(5), 1 + own.nextInt(5));
          try {
            sent.incrementAndGet();
            HttpResponse<String> response = server.postJson("/api/train/rate", PackagedServer.ratings(experiment,
              option -> "A".equals(option) ? rating.ratingA() : rating.ratingB(), "crash test").encode());
            if (response.statusCode() / 100 == 2) {
              acknowledged.put(rating.experimentId(), rating);
              killNow.countDown();
            }
          } catch (Exception e) {
            return null; // the server died under this request: not acknowledged
          }
        }
        return null;
      });
    }
    assertTrue(killNow.await(120, TimeUnit.SECONDS), "ratings were acknowledged");
    if (withDatabase) {
      server.killWithDatabase();
    } else {
      server.kill();
    }
    raters.shutdown();
    assertTrue(raters.awaitTermination(180, TimeUnit.SECONDS));
    return sent.get();
  }

  private static boolean ready(PackagedServer server) throws Exception {
    return server.get("/ready").statusCode() == 200;
  }

  /** Acknowledged submissions whose ratings the restarted server does not show exactly. */
  private static int lost(PackagedServer server, Map<String, Acknowledged> acknowledged) throws Exception {
    HttpResponse<String> response = server.get("/api/train/history?limit=500");
    assertEquals(200, response.statusCode(), response.body());
    Map<String, Map<String, Integer>> stored = new ConcurrentHashMap<>();
    for (Object e : new JsonObject(response.body()).getJsonArray("experiments")) {
      JsonObject experiment = (JsonObject) e;
      Map<String, Integer> byOption = new ConcurrentHashMap<>();
      for (Object o : experiment.getJsonArray("options")) {
        JsonObject option = (JsonObject) o;
        if (option.getInteger("rating") != null) {
          byOption.put(option.getString("option"), option.getInteger("rating"));
        }
      }
      stored.put(experiment.getString("experiment_id"), byOption);
    }
    int lost = 0;
    for (Acknowledged rating : acknowledged.values()) {
      Map<String, Integer> byOption = stored.getOrDefault(rating.experimentId(), Map.of());
      if (!Integer.valueOf(rating.ratingA()).equals(byOption.get("A")) || !Integer.valueOf(rating.ratingB()).equals(byOption.get("B"))) {
        lost++;
      }
    }
    return lost;
  }
}
