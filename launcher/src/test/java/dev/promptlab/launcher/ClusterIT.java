package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.S3TestServer;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three nodes of one cluster, each a {@code java -jar} process of the packaged server on loopback, sharing the tests'
 * PostgreSQL (as an external database) and an S3-compatible server: uploads and ratings go through any node, the node
 * holding the optimizer is killed ({@code kill -9}) while a rating is in flight, another node takes the optimizer
 * over, and nothing acknowledged is lost or learnt twice, and no point is suggested twice. Every node's log is
 * checked for a blocked event loop when it closes.
 */
class ClusterIT {

  private static final String MODE = "structure";
  private static final List<String> SINGLETONS = List.of("evolution", "optimizer", "reward", "textopt");

  @Test
  void ratingsThroughAnyNodeSurviveTheLossOfTheNodeHoldingTheOptimizer() throws Exception {
    TestDatabase.reset();
    String databaseUrl = TestDatabase.settings().url();
    Path shared = Files.createDirectories(PackagedServer.projectRoot().resolve("launcher/target/acceptance"));
    Path prompts = Files.createTempDirectory(shared, "cluster-prompts-");
    List<Integer> ports = freePorts(3);
    String members = ports.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(",", "[", "]"));
    // A name of its own: a cluster of another test run on this machine can never be joined by mistake.
    String clusterName = "promptlab-it-" + UUID.randomUUID();
    Map<String, PackagedServer> nodes = new HashMap<>();
    try (S3TestServer s3 = S3TestServer.start()) {
      for (int i = 0; i < 3; i++) {
        Map<String, String> environment = new HashMap<>(s3.environment());
        environment.putAll(s3.credentialsEnvironment());
        environment.put("DATABASE_URL", databaseUrl);
        environment.put("PROMPTLAB__CLUSTER__ENABLED", "true");
        environment.put("PROMPTLAB__CLUSTER__NAME", clusterName);
        environment.put("PROMPTLAB__CLUSTER__NODE_NAME", "node-" + i);
        environment.put("PROMPTLAB__CLUSTER__HOST", "127.0.0.1");
        environment.put("PROMPTLAB__CLUSTER__PORT", String.valueOf(ports.get(i)));
        environment.put("PROMPTLAB__CLUSTER__MEMBERS", members);
        environment.put("PROMPTLAB__CLUSTER__LEASE_RETRY_MS", "250");
        // The rating in flight to the killed node is answered when this timeout ends (15 s by default): the test
        // waits for it, and the path taken is the same with any length.
        environment.put("PROMPTLAB__HTTP__OPTIMIZER_TIMEOUT_MS", "5000");
        environment.put("PROMPTLAB__EVOLUTION__PROMPTS_DIR", prompts.toString());
        nodes.put("node-" + i, PackagedServer.createShortLived("cluster-node-" + i, environment));
      }
      try {
        // One after the other: the first forms the cluster and the others join it; started together on a small
        // machine their warm-ups would starve each other's event loops.
        for (String name : List.of("node-0", "node-1", "node-2")) {
          System.out.printf("[cluster] %s up in %d ms%n", name, nodes.get(name).start());
        }

        for (PackagedServer node : nodes.values()) {
          JsonObject cluster = Eventually.value("a node is ready with every singleton held", () -> ready(node),
            json -> json != null);
          assertEquals(List.of("node-0", "node-1", "node-2"), cluster.getJsonArray("members").getList(),
            "every node sees the three members");
          assertEquals(SINGLETONS, cluster.getJsonObject("singletons").fieldNames().stream().sorted().toList());
        }
        Map<String, String> holders = holders();
        assertEquals(SINGLETONS, holders.keySet().stream().sorted().toList(), "each singleton runs on one node");
        String first = holders.get("optimizer");
        assertTrue(nodes.get("node-1").get("/metrics").body().contains("node=\"node-1\""), "meters carry the node");

        List<PackagedServer> live = new ArrayList<>(nodes.values());
        int acknowledged = 0;
        Map<PackagedServer, Integer> ratedOn = new HashMap<>();
        for (int round = 0; round < 3; round++) {
          acknowledged += uploadAndRate(live.get(round % 3), live.get((round + 1) % 3), round, ratedOn);
        }

        // kill -9 of the optimizer's node while a rating is in flight through another node.
        PackagedServer holder = nodes.get(first);
        live.remove(holder);
        JsonObject experiment = live.get(0).upload(SampleImages.jpeg(320, 240), MODE);
        PackagedServer rater = live.get(1);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> rate(rater, experiment, 4));
        holder.kill();
        long killed = System.nanoTime();
        String second0 = Eventually.value("another node holds the optimizer", () -> holders().get("optimizer"),
          node -> node != null && !node.equals(first));
        System.out.printf("[cluster] the optimizer's lease moved from %s to %s within %d ms of the kill%n", first,
          second0, (System.nanoTime() - killed) / 1_000_000);
        HttpResponse<String> answered = inFlight.join();
        assertEquals(200, answered.statusCode(), answered.body());
        System.out.printf("[cluster] the rating in flight was answered %d ms after the kill: %s%n",
          (System.nanoTime() - killed) / 1_000_000, answered.body());
        acknowledged += 2;
        ratedOn.merge(rater, 2, Integer::sum);

        for (int round = 0; round < 4; round++) {
          acknowledged += uploadAndRate(live.get(round % 2), live.get((round + 1) % 2), round, ratedOn);
        }
        for (PackagedServer node : live) {
          JsonObject cluster = Eventually.value("a survivor is ready", () -> ready(node), json -> json != null
            && json.getJsonArray("members").size() == 2);
          assertEquals(second0, cluster.getJsonObject("singletons").getString("optimizer"));
          // Each node counts the ratings it took, not every node's: the nodes' figures add up.
          assertEquals(ratedOn.getOrDefault(node, 0), ratingsCounted(node), "ratings counted on " + node.home);
        }

        long stored = TestDatabase.count("SELECT count(*) FROM ratings");
        assertEquals(acknowledged, stored, "every acknowledged rating is stored, and nothing else");
        Eventually.until("the optimizer learnt every rating", () ->
          TestDatabase.count("SELECT count(*) FROM optimizer_observations") == stored);
        assertEquals(stored, TestDatabase.count("SELECT count(DISTINCT rating_id) FROM optimizer_observations"),
          "each rating learnt once");
        // Within one experiment the two options share their point during a prompt A/B test, by design; a point
        // handed out again for another upload is what a lost pending suggestion or a restarted design would cause.
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM (SELECT 1 FROM experiment_options GROUP BY api,"
          + " strength, guidance_scale, control_weight HAVING count(DISTINCT experiment_id) > 1) repeated"),
          () -> "no point was suggested twice: " + options());
        assertNotEquals(0, TestDatabase.count("SELECT count(*) FROM optimizer_pending"), "pending suggestions are kept");
      } finally {
        for (PackagedServer node : nodes.values()) {
          node.close();
        }
      }
    }
  }

  /** One upload through {@code uploader} and its rating through {@code rater}; the ratings acknowledged (2). */
  private static int uploadAndRate(PackagedServer uploader, PackagedServer rater, int round,
                                   Map<PackagedServer, Integer> ratedOn) throws Exception {
    JsonObject experiment = uploader.upload(SampleImages.jpeg(320 + round, 240), MODE);
    HttpResponse<String> rated = rate(rater, experiment, 1 + round % 5);
    assertEquals(200, rated.statusCode(), rated.body());
    int count = experiment.getJsonArray("options").size();
    ratedOn.merge(rater, count, Integer::sum);
    return count;
  }

  /** The sum of a node's {@code promptlab_ratings_total} series, as Prometheus would scrape it. */
  private static int ratingsCounted(PackagedServer node) throws Exception {
    double total = 0;
    for (String line : node.get("/metrics").body().split("\n")) {
      if (line.startsWith("promptlab_ratings_total{")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (int) total;
  }

  private static HttpResponse<String> rate(PackagedServer node, JsonObject experiment, int rating) {
    try {
      return node.postJson("/api/train/rate",
        PackagedServer.ratings(experiment, option -> "A".equals(option) ? rating : 6 - rating, "cluster").encode());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code cluster} check of a node's {@code /ready} when the node is ready, else null. */
  static JsonObject ready(PackagedServer node) throws Exception {
    HttpResponse<String> response = node.get("/ready");
    if (response.statusCode() != 200) {
      return null;
    }
    for (Object check : new JsonObject(response.body()).getJsonArray("checks")) {
      JsonObject json = (JsonObject) check;
      if ("cluster".equals(json.getString("id"))) {
        return json.getJsonObject("data");
      }
    }
    throw new AssertionError("a node of a cluster reports no cluster check: " + response.body());
  }

  /** Every option in the order stored, with its experiment's strategy (what a failure shows). */
  private static List<String> options() {
    List<String> options = new ArrayList<>();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT e.id, e.strategy, o.option, o.api, o.strength, o.guidance_scale,"
           + " o.control_weight FROM experiment_options o JOIN experiments e ON e.id = o.experiment_id ORDER BY o.id")) {
      while (rs.next()) {
        options.add(String.format("%n%s %s %s %s %s %s %s", rs.getString(1), rs.getString(2), rs.getString(3),
          rs.getString(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)));
      }
    } catch (java.sql.SQLException e) {
      options.add(e.toString());
    }
    return options;
  }

  /** Who holds each singleton, read from PostgreSQL's locks as the nodes read it. */
  private static Map<String, String> holders() throws Exception {
    Map<String, String> holders = new HashMap<>();
    try (Connection c = TestDatabase.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT l.objid::int8, a.application_name FROM pg_locks l"
           + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
           + " AND l.objsubid = 2 AND l.classid::int8 = " + SingletonLeases.LEASE_CLASS)) {
      while (rs.next()) {
        String node = rs.getString(2).substring(SingletonLeases.APPLICATION_PREFIX.length());
        for (String name : SINGLETONS) {
          if (VerticleCatalog.leaseOf(name) == rs.getLong(1)) {
            holders.put(name, node);
          }
        }
      }
    }
    return holders;
  }

  static List<Integer> freePorts(int count) throws Exception {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
