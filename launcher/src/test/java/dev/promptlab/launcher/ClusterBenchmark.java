package dev.promptlab.launcher;

import dev.promptlab.launcher.bench.UploadRound;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeImageApis;
import dev.promptlab.testkit.S3TestServer;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Upload throughput of a cluster with 1, 2 and 3 nodes running http and generation (the first also the singletons),
 * each a {@code java -jar} process of the packaged server sharing an external PostgreSQL (testkit's) and an
 * S3-compatible server, the way {@code ClusterIT} starts them. Both APIs render on the real Replicate provider
 * pointed at testkit's wire-format fake, where every image takes {@code --render-ms}. Not a test: it prints a table.
 *
 * <p>Each configuration adds one node to the running cluster, sends one warm-up upload through each node, then
 * {@code --uploads} uploads from {@code --clients} concurrent clients, round-robin over the nodes. Replicate's
 * synchronous mode ({@code Prefer: wait}) holds a provider connection for a whole render, so
 * {@code generation.provider_connections} ({@code --connections}) is each node's limit of renders at once, and the
 * ideal throughput of {@code n} nodes is {@code n × connections / renders per upload / render time}.
 *
 * <p>Options: {@code --nodes 1,2,3}, {@code --uploads N} (48), {@code --clients C} (12), {@code --connections P} (4),
 * {@code --render-ms T} (2000).
 */
public final class ClusterBenchmark {

  private static final String REPLICATE_TOKEN = "r8_benchmark_token_6b1d3f8a2c4e";
  private static final String MODE = "structure";
  private static final String SERVING_ROLES = "[\"metrics\",\"generation\",\"http\"]";

  private List<Integer> configurations = List.of(1, 2, 3);
  private int uploads = 48;
  private int clients = 12;
  private int connections = 4;
  private long renderMs = 2000;
  /** Renders per upload in the last round, counted at the fake (two options each, unless an upload failed). */
  private double rendersPerUpload = 2;
  private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    ClusterBenchmark bench = new ClusterBenchmark();
    bench.parse(args);
    bench.run();
    // The exec plugin's JVM keeps running otherwise (HTTP client and Vert.x threads).
    System.exit(0);
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> configurations = List.of(args[++i].split(",")).stream().map(Integer::parseInt).toList();
        case "--uploads" -> uploads = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--render-ms" -> renderMs = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    for (int i = 1; i < configurations.size(); i++) {
      if (configurations.get(i) <= configurations.get(i - 1)) {
        throw new IllegalArgumentException("--nodes must grow (each configuration adds nodes): " + configurations);
      }
    }
    if (configurations.get(0) < 1 || uploads < 1 || clients < 1 || connections < 1 || renderMs < 1) {
      throw new IllegalArgumentException("--nodes, --uploads, --clients, --connections and --render-ms must be positive");
    }
  }

  private void run() throws Exception {
    int largest = configurations.get(configurations.size() - 1);
    out.printf("# ClusterBenchmark  java %s  cpus=%d  load average %s%n", System.getProperty("java.version"),
      Runtime.getRuntime().availableProcessors(), loadAverage());
    out.printf("# every node: http + generation (node-0 also the singletons); Replicate fake, %d ms per image, synchronous"
      + " mode; generation.provider_connections=%d per node; %d uploads per configuration from %d clients,"
      + " round-robin over the nodes; one warm-up upload per node first%n", renderMs, connections, uploads, clients);
    TestDatabase.settings();
    TestDatabase.reset();
    Path shared = Files.createDirectories(PackagedServer.projectRoot().resolve("launcher/target/acceptance"));
    Path prompts = Files.createTempDirectory(shared, "cluster-bench-prompts-");
    List<Integer> ports = ClusterIT.freePorts(largest);
    String members = ports.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(",", "[", "]"));
    String clusterName = "promptlab-bench-" + UUID.randomUUID();
    List<PackagedServer> nodes = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try (S3TestServer s3 = S3TestServer.start();
         FakeImageApis replicate = FakeImageApis.open("unused-leonardo-key", REPLICATE_TOKEN).renderTime(renderMs)) {
      try {
        for (int size : configurations) {
          while (nodes.size() < size) {
            int i = nodes.size();
            PackagedServer node = PackagedServer.create("cluster-bench-node-" + i,
              environment(i, s3, replicate, TestDatabase.settings().url(), clusterName, ports.get(i), members, prompts));
            // Counted and printed below rather than ending the run: a start-up on a loaded machine may trip it.
            node.countingBlockedThreads();
            out.printf("[cluster-bench] node-%d up in %d ms%n", i, node.start());
            nodes.add(node);
          }
          awaitMembers(nodes);
          UploadRound round = measure(nodes, replicate);
          String line = String.format("%d node%s  %6.1f uploads/min (ideal %5.1f)  median %6.0f ms  p95 %6.0f ms  "
              + "errors %d/%d %s  wall %.1f s", size, size == 1 ? " " : "s", round.uploadsPerMinute(), ideal(size),
            round.latencyPercentileMs(50), round.latencyPercentileMs(95), round.errors(), round.count(),
            round.errors() == 0 ? "" : round.errorsByReason(), round.wallMs() / 1000.0);
          out.println("[cluster-bench] " + line);
          lines.add(line);
        }
      } finally {
        for (PackagedServer node : nodes) {
          node.close();
        }
      }
      out.println();
      out.printf("# results (load average at the end %s)%n", loadAverage());
      lines.forEach(out::println);
      for (int i = 0; i < nodes.size(); i++) {
        long blocked = nodes.get(i).output().lines().filter(l -> l.contains("has been blocked")).count();
        out.printf("node-%d: %d blocked-thread warnings in %s%n", i, blocked, nodes.get(i).home.resolve("server.log"));
      }
    }
  }

  /** The uploads per minute {@code nodes} could take if only their provider connections limited them. */
  private double ideal(int nodes) {
    return nodes * connections * 60_000.0 / renderMs / rendersPerUpload;
  }

  /** One warm-up upload per node, then the measured round. */
  private UploadRound measure(List<PackagedServer> nodes, FakeImageApis replicate) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(Math.max(clients, nodes.size()));
    try {
      List<Future<UploadRound.Upload>> warmUp = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        warmUp.add(senders.submit(upload(nodes.get(i), 1000 + i)));
      }
      for (Future<UploadRound.Upload> f : warmUp) {
        String error = f.get().error();
        if (error != null) {
          throw new IllegalStateException("a warm-up upload failed: " + error);
        }
      }
      int rendersBefore = replicate.received(FakeImageApis.Step.REPLICATE_PREDICTIONS).size();
      // At most `clients` uploads in flight: the pool's threads are the clients.
      ExecutorService measured = clients >= nodes.size() ? senders : Executors.newFixedThreadPool(clients);
      long started = System.nanoTime();
      List<Future<UploadRound.Upload>> sent = new ArrayList<>();
      for (int i = 0; i < uploads; i++) {
        sent.add(measured.submit(upload(nodes.get(i % nodes.size()), i)));
      }
      List<UploadRound.Upload> answered = new ArrayList<>();
      for (Future<UploadRound.Upload> f : sent) {
        answered.add(f.get());
      }
      long wallMs = (System.nanoTime() - started) / 1_000_000;
      measured.shutdown();
      rendersPerUpload = (double) (replicate.received(FakeImageApis.Step.REPLICATE_PREDICTIONS).size() - rendersBefore)
        / uploads;
      return new UploadRound(answered, wallMs);
    } finally {
      senders.shutdown();
    }
  }

  /** One trainer's upload through {@code node}: its latency, and why it failed unless every option was rendered. */
  private static Callable<UploadRound.Upload> upload(PackagedServer node, int index) {
    return () -> {
      // A different image each time: nothing downstream can answer from an earlier one.
      byte[] jpeg = SampleImages.jpeg(640 + index % 64, 480);
      long sentAt = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = node.postMultipart("/api/enhance/train", "image", "room.jpg", "image/jpeg", jpeg,
          Map.of("mode", MODE));
      } catch (IOException e) {
        return new UploadRound.Upload((System.nanoTime() - sentAt) / 1_000_000, "no answer: " + e.getClass().getSimpleName());
      }
      long latencyMs = (System.nanoTime() - sentAt) / 1_000_000;
      JsonObject body = response.body().startsWith("{") ? new JsonObject(response.body()) : new JsonObject();
      if (response.statusCode() != 200) {
        JsonObject error = body.getJsonObject("error", new JsonObject());
        return new UploadRound.Upload(latencyMs, response.statusCode() + " " + error.getString("code", ""));
      }
      for (Object o : body.getJsonArray("options")) {
        JsonObject option = (JsonObject) o;
        if (!"ready".equals(option.getString("status"))) {
          JsonObject error = option.getJsonObject("error", new JsonObject());
          return new UploadRound.Upload(latencyMs, "option " + option.getString("status") + " "
            + error.getString("code", ""));
        }
      }
      return new UploadRound.Upload(latencyMs, null);
    };
  }

  private Map<String, String> environment(int index, S3TestServer s3, FakeImageApis replicate, String databaseUrl,
                                          String clusterName, int port, String members, Path prompts) {
    Map<String, String> environment = new HashMap<>(s3.environment());
    environment.putAll(s3.credentialsEnvironment());
    environment.put("DATABASE_URL", databaseUrl);
    environment.put("PROMPTLAB__CLUSTER__ENABLED", "true");
    environment.put("PROMPTLAB__CLUSTER__NAME", clusterName);
    environment.put("PROMPTLAB__CLUSTER__NODE_NAME", "node-" + index);
    environment.put("PROMPTLAB__CLUSTER__HOST", "127.0.0.1");
    environment.put("PROMPTLAB__CLUSTER__PORT", String.valueOf(port));
    environment.put("PROMPTLAB__CLUSTER__MEMBERS", members);
    environment.put("PROMPTLAB__EVOLUTION__PROMPTS_DIR", prompts.toString());
    if (index > 0) {
      environment.put("PROMPTLAB__CLUSTER__ROLES", SERVING_ROLES);
    }
    // Both APIs on Replicate with its production defaults, pointed at the fake.
    environment.put("PROMPTLAB__GENERATION__PROVIDERS__LEONARDO", "replicate");
    environment.put("PROMPTLAB__GENERATION__PROVIDERS__STABLEDIFFUSION", "replicate");
    environment.put("PROMPTLAB__GENERATION__REPLICATE", new JsonObject().put("base_url", replicate.replicateBaseUrl())
      .put("model", FakeImageApis.REPLICATE_MODEL).encode());
    environment.put("REPLICATE_API_TOKEN", REPLICATE_TOKEN);
    environment.put("PROMPTLAB__GENERATION__PROVIDER_CONNECTIONS", String.valueOf(connections));
    // The clients' uploads wait at the provider connections, not at http's own limit of uploads in progress.
    environment.put("PROMPTLAB__HTTP__MAX_CONCURRENT_UPLOADS", String.valueOf(Math.max(8, clients * 2)));
    return environment;
  }

  /** Until every node is ready and sees all of them: before that the bus may not route to the newest yet. */
  private static void awaitMembers(List<PackagedServer> nodes) {
    for (PackagedServer node : nodes) {
      Eventually.value("a node is ready and sees " + nodes.size() + " members", () -> ClusterIT.ready(node),
        cluster -> cluster != null && cluster.getJsonArray("members").size() == nodes.size());
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
