package dev.promptlab.launcher;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.ClusterStatus;
import dev.promptlab.contract.Deployments;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.RedeployRequest;
import dev.promptlab.contract.Redeployed;
import dev.promptlab.contract.RequestFields;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.VertxInternal;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots PromptLab: reads configuration, brings up the database (embedded when no URL is given),
 * migrates the schema, deploys the configured verticles in order and redeploys one on request. On a node of a
 * cluster ({@link ClusterSettings}) it deploys the node's roles only, the singletons among them when the node takes
 * their lease ({@link SingletonLeases}).
 *
 * <p>Its own config (deployment options) may carry {@code config_path} (default: the
 * {@code PROMPTLAB_CONFIG} variable, else {@code conf/promptlab.yaml}) and {@code environment} (a map used instead of the process
 * environment; tests use it).
 */
public final class PromptLabVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PromptLabVerticle.class);
  /** The http verticle's {@code shutdown_grace_ms} when the configuration does not set it. */
  private static final long DEFAULT_DRAIN_MS = 60_000;

  private final Map<String, String> deployments = new LinkedHashMap<>();
  private final Map<String, JsonObject> deployedSlices = new LinkedHashMap<>();
  private Bootstrap.Database database;
  private Future<?> redeployQueue = Future.succeededFuture();
  private long drainBoundMs = DEFAULT_DRAIN_MS;
  private Future<Void> stopping;
  private ClusterSettings cluster;
  /** The singleton leases of this node in cluster mode; null otherwise. */
  private SingletonLeases leases;
  /** The singletons among the cluster's verticles, sorted; known once started in cluster mode. */
  private List<String> expectedSingletons = List.of();

  @Override
  public Future<?> start() {
    return loadConfig()
      .compose(this::checkCluster)
      .compose(conf -> vertx.executeBlocking(() -> prepareDatabase(conf)).map(conf))
      .map(conf -> {
        drainBoundMs = conf.getJsonObject("http", new JsonObject()).getLong("shutdown_grace_ms", DEFAULT_DRAIN_MS);
        return conf;
      })
      .compose(conf -> deployAll(conf).map(conf))
      .compose(this::startLeases)
      // Local: in a cluster, a redeploy or a list of deployments is about the node that was asked.
      .compose(v -> vertx.eventBus().localConsumer(Addresses.LAUNCHER_REDEPLOY, this::redeploy).completion())
      .compose(v -> vertx.eventBus().localConsumer(Addresses.LAUNCHER_DEPLOYMENTS, this::listDeployments).completion())
      .onSuccess(v -> LOG.info("PromptLab is up: {}{}", deployments.keySet(), cluster.enabled()
        ? " on cluster node " + cluster.nodeName() + ", trying the leases of " + singletonRoles() : ""))
      // stop() is not called after a failed start: an embedded database started here must not outlive it.
      .recover(e -> stopLeases().transform(v -> closeDatabase()).transform(closed -> Future.failedFuture(e)))
      .onFailure(e -> LOG.error("PromptLab failed to start: {}", e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    // Undeployed without stopInOrder (tests, an embedding application): Vert.x undeployed the children before
    // this runs; the leases go before the database.
    return stopLeases().compose(v -> closeDatabase());
  }

  /** How long the http verticle may drain (its {@code shutdown_grace_ms}), known once started. */
  long drainBoundMs() {
    return drainBoundMs;
  }

  /**
   * The process stop: the verticles that serve HTTP first (they stop taking requests and finish the ones in
   * flight, which still need the others), then the others in reverse deployment order, then the database.
   * A verticle that fails to stop is logged and the next one goes on. May be called from any thread; once.
   */
  Future<Void> stopInOrder() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (stopping == null) {
        stopping = undeployInOrder();
      }
      stopping.onComplete(done);
    });
    return done.future();
  }

  private Future<Void> undeployInOrder() {
    List<String> serving = deployments.keySet().stream().filter(VerticleCatalog::startsBeforeStopping).toList();
    return undeployEach(serving)
      // The singletons (a cluster node's) stop before their leases are given back, and before the others.
      .compose(v -> stopLeases())
      .compose(v -> {
        List<String> rest = new ArrayList<>(deployments.keySet());
        Collections.reverse(rest);
        return undeployEach(rest);
      })
      .compose(v -> closeDatabase()).onSuccess(v -> LOG.info("Database closed"));
  }

  private Future<Void> undeployEach(List<String> order) {
    Future<Void> chain = Future.succeededFuture();
    for (String name : order) {
      chain = chain.compose(v -> {
        String id = deployments.remove(name);
        LOG.info("Stopping {}", name);
        return vertx.undeploy(id)
          .onSuccess(stopped -> LOG.info("Stopped {}", name))
          .recover(e -> {
            LOG.error("{} did not stop cleanly: {}", name, e.getMessage());
            return Future.succeededFuture();
          });
      });
    }
    return chain;
  }

  private Future<Void> stopLeases() {
    if (leases == null) {
      return Future.succeededFuture();
    }
    SingletonLeases stopping = leases;
    leases = null;
    return stopping.stop();
  }

  private Future<Void> closeDatabase() {
    if (database == null) {
      return Future.succeededFuture();
    }
    Bootstrap.Database closing = database;
    database = null;
    return vertx.executeBlocking(() -> {
      closing.close();
      return null;
    });
  }

  /** Reads the configuration file and the environment, fresh on every call. */
  Future<JsonObject> loadConfig() {
    Map<String, String> environment = config().containsKey("environment")
      ? Bootstrap.strings(config().getJsonObject("environment")) : null;
    // On a worker: the stores read the file and the environment where they are asked, and the first JSON
    // encoding of the process initialises Jackson, over a second on a loaded machine.
    return vertx.executeBlocking(() -> Bootstrap.loadConfig(vertx, config().getString("config_path",
      Bootstrap.defaultConfigPath()), environment)).compose(config -> config);
  }

  /** Reads the cluster settings; cluster mode needs a Vert.x started clustered ({@link PromptLab} does). */
  private Future<JsonObject> checkCluster(JsonObject conf) {
    try {
      cluster = ClusterSettings.from(conf);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (cluster.enabled() && !vertx.isClustered()) {
      return Future.failedFuture(new IllegalStateException("cluster.enabled is set but this Vert.x is not clustered;"
        + " start PromptLab with java -jar, which builds a clustered Vert.x from the same configuration"));
    }
    return Future.succeededFuture(conf);
  }

  /** The singletons this node may run in cluster mode, in the order of {@code verticles}. */
  private List<String> singletonRoles() {
    return cluster.roles().stream().filter(VerticleCatalog::isSingleton).toList();
  }

  /** Does this node deploy {@code name} at start (the singletons of a cluster node wait for their lease)? */
  private boolean deploysAtStart(String name) {
    return cluster.roles().contains(name) && !(cluster.enabled() && VerticleCatalog.isSingleton(name));
  }

  private Future<Void> startLeases(JsonObject conf) {
    if (!cluster.enabled()) {
      return Future.succeededFuture();
    }
    expectedSingletons = conf.getJsonArray("verticles", new JsonArray()).stream().map(String::valueOf)
      .filter(VerticleCatalog::isSingleton).sorted().toList();
    // Also on a node without singleton roles: its connection is where the node reads who holds what.
    leases = new SingletonLeases(vertx, new PgConnectOptions(new JsonObject(database.settings().toPgOptions())),
      cluster.nodeName(), singletonRoles(), cluster.leaseRetryMs(), new SingletonLeases.Holder() {
        @Override
        public Future<Void> start(String singleton) {
          return deploy(singleton, conf).mapEmpty();
        }

        @Override
        public Future<Void> stop(String singleton) {
          String id = deployments.remove(singleton);
          deployedSlices.remove(singleton);
          if (id == null || !vertx.deploymentIDs().contains(id)) {
            return Future.succeededFuture();
          }
          LOG.info("Stopping {}", singleton);
          return vertx.undeploy(id).onSuccess(v -> LOG.info("Stopped {}", singleton)).recover(e -> {
            LOG.error("{} did not stop cleanly: {}", singleton, e.getMessage());
            return Future.succeededFuture();
          });
        }
      });
    leases.start();
    return vertx.eventBus().localConsumer(Addresses.LAUNCHER_CLUSTER, this::clusterStatus).completion();
  }

  private void clusterStatus(Message<Object> message) {
    if (leases == null) {
      message.fail(FailureCodes.BUSY, "node " + cluster.nodeName() + " is stopping");
      return;
    }
    leases.holders()
      .onSuccess(holders -> message.reply(new ClusterStatus(cluster.nodeName(), members(), holders,
        expectedSingletons).toJson()))
      .onFailure(e -> message.fail(FailureCodes.STORAGE_FAILED, "who holds the singletons cannot be read: "
        + e.getMessage()));
  }

  /** The cluster's members by name, as Hazelcast sees them now (a local view: nothing is asked over the network). */
  private List<String> members() {
    if (((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hazelcast) {
      return hazelcast.getHazelcastInstance().getCluster().getMembers().stream()
        .map(member -> String.valueOf(member.getAttribute(ClusterSettings.NODE_ATTRIBUTE))).sorted().toList();
    }
    return List.of(cluster.nodeName());
  }

  private Void prepareDatabase(JsonObject conf) throws IOException {
    if (database == null) {
      database = Bootstrap.openDatabase(conf);
    }
    ensureAdminToken(conf, Bootstrap.dataDir(conf));
    return null;
  }

  /** Without PROMPTLAB_ADMIN_TOKEN a token is generated once into the data directory (its path is logged, never the token). */
  private void ensureAdminToken(JsonObject conf, Path dataDir) throws IOException {
    JsonObject http = conf.getJsonObject("http", new JsonObject());
    if (!http.getString("admin_token", "").isBlank()) {
      return;
    }
    Path file = dataDir.resolve("admin-token");
    if (!Files.exists(file)) {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      Path temp = Files.createTempFile(dataDir, "admin-token", ".tmp");
      Files.writeString(temp, HexFormat.of().formatHex(bytes));
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: the data directory's own permissions apply
      }
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Generated an admin token in {} (set PROMPTLAB_ADMIN_TOKEN to choose one)", file);
    }
    conf.put("http", http.put("admin_token", Files.readString(file).trim()));
  }

  /**
   * The config slice one verticle receives: its own section with the shared keys
   * ({@link LauncherSettings#sectionOf}) plus the shared database and data directory, the cluster's verticles and
   * whether this node is one of a cluster ({@code cluster.enabled}, {@code cluster.node_name}).
   */
  JsonObject sliceFor(String name, JsonObject conf) {
    Path dataDir = Bootstrap.dataDir(conf);
    JsonObject db = new JsonObject(database.settings().toPgOptions())
      .put("pool_size", conf.getJsonObject("database", new JsonObject()).getInteger("pool_size", 8));
    return LauncherSettings.sectionOf(name, conf)
      .put("db", db)
      .put("data_dir", dataDir.toString())
      .put("verticles", conf.getJsonArray("verticles", new JsonArray()).copy())
      .put("cluster", cluster.enabled()
        ? new JsonObject().put("enabled", true).put("node_name", cluster.nodeName())
        : new JsonObject().put("enabled", false));
  }

  private Future<Void> deployAll(JsonObject conf) {
    JsonArray names = conf.getJsonArray("verticles", new JsonArray());
    for (Object name : names) {
      if (!(name instanceof String s) || !VerticleCatalog.knows(s)) {
        return Future.failedFuture(new IllegalArgumentException(
          "unknown verticle in 'verticles': " + name + " (known: " + VerticleCatalog.names() + ")"));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (Object name : names) {
      String verticle = (String) name;
      if (!deploysAtStart(verticle)) {
        continue;
      }
      chain = chain.compose(v -> deploy(verticle, conf)
        .recover(e -> Future.failedFuture(new IllegalStateException(
          "verticle '" + verticle + "' failed to deploy: " + e.getMessage(), e)))
        .mapEmpty());
    }
    return chain;
  }

  private Future<String> deploy(String name, JsonObject conf) {
    return deploySlice(name, sliceFor(name, conf));
  }

  private Future<String> deploySlice(String name, JsonObject slice) {
    return vertx.deployVerticle(VerticleCatalog.deploymentName(name), new DeploymentOptions().setConfig(slice))
      .onSuccess(id -> {
        deployments.put(name, id);
        deployedSlices.put(name, slice);
        LOG.info("Deployed {} ({})", name, id);
      });
  }

  private void redeploy(Message<Object> message) {
    String name;
    try {
      name = RedeployRequest.fromJson(RequestFields.body(message.body())).verticle();
    } catch (IllegalArgumentException e) {
      BusFailure.reply(message, e, "launcher");
      return;
    }
    if (!deployments.containsKey(name)) {
      message.fail(FailureCodes.NOT_FOUND, "no deployed verticle named '" + name + "'"
        + (cluster.enabled() ? " on node " + cluster.nodeName() : "") + "; deployed: " + deployments.keySet());
      return;
    }
    // One redeploy at a time: two concurrent requests for the same verticle must not both undeploy it.
    Promise<Redeployed> done = Promise.promise();
    redeployQueue = redeployQueue.transform(ignored -> replace(name).onComplete(done)).transform(ar -> Future.succeededFuture());
    done.future()
      .onSuccess(redeployed -> message.reply(redeployed.toJson()))
      .onFailure(e -> message.fail(FailureCodes.INTERNAL, "redeploy of " + name + " failed: " + e.getMessage()));
  }

  private Future<Redeployed> replace(String name) {
    String old = deployments.get(name);
    JsonObject lastGood = deployedSlices.get(name);
    Future<String> swapped = loadConfig().compose(conf -> VerticleCatalog.startsBeforeStopping(name)
      ? deploy(name, conf).onSuccess(id -> retireLater(name, old))
      : vertx.undeploy(old).compose(v -> deploy(name, conf).recover(refused -> restore(name, lastGood, refused))));
    return swapped
      .onFailure(e -> LOG.error("Redeploy of {} failed: {}", name, e.getMessage()))
      .map(id -> {
        LOG.info("Redeployed {} ({} -> {})", name, old, id);
        return new Redeployed(name, id, Instant.now().toString());
      });
  }

  /**
   * The new configuration was refused after the old instance stopped: the verticle comes back with the
   * configuration it ran with, and the redeploy still fails with the reason.
   */
  private Future<String> restore(String name, JsonObject lastGood, Throwable refused) {
    LOG.error("Redeploy of {} refused ({}); restoring the previous configuration", name, refused.getMessage());
    return deploySlice(name, lastGood).transform(restored -> Future.failedFuture(new IllegalStateException(
      refused.getMessage() + (restored.succeeded() ? "; the previous configuration was restored"
        : "; restoring the previous configuration failed too: " + restored.cause().getMessage()))));
  }

  /**
   * The old HTTP instance is undeployed after the redeploy was answered: the request that asked for the
   * redeploy may be one of its in-flight requests, and its graceful shutdown waits for those.
   */
  private void retireLater(String name, String old) {
    vertx.runOnContext(v -> vertx.undeploy(old)
      .onFailure(e -> LOG.warn("The previous {} instance ({}) did not stop cleanly: {}", name, old, e.getMessage())));
  }

  private void listDeployments(Message<Object> message) {
    message.reply(new Deployments(deployments).toJson());
  }
}
