package dev.promptlab.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cluster} section of the configuration (see {@code docs/cluster.md}), checked against the rest of it.
 *
 * @param enabled      cluster mode; when false every other field is its default and nothing else is read
 * @param name         the Hazelcast cluster name
 * @param nodeName     this node in readiness, metrics and its lease connection
 * @param members      the nodes to join ({@code host} or {@code host:port})
 * @param host         the address this node binds and announces
 * @param port         Hazelcast's port
 * @param busPort      the event bus's port (0: any)
 * @param roles        the verticles this node runs, in the order of {@code verticles}
 * @param leaseRetryMs how often a free singleton lease is tried and a held one checked
 */
public record ClusterSettings(boolean enabled, String name, String nodeName, List<String> members, String host,
                              int port, int busPort, List<String> roles, long leaseRetryMs) {

  static final String NODE_ATTRIBUTE = "promptlab.node";

  /**
   * The cluster settings of the effective configuration {@code conf}.
   *
   * @throws IllegalArgumentException when cluster mode is on and the rest of the configuration cannot run it
   */
  public static ClusterSettings from(JsonObject conf) {
    JsonObject cluster = conf.getJsonObject("cluster", new JsonObject());
    List<String> verticles = strings(conf.getJsonArray("verticles", new JsonArray()), "verticles");
    boolean enabled = cluster.getBoolean("enabled", false);
    if (!enabled) {
      return new ClusterSettings(false, "promptlab", defaultNodeName(), List.of(), "127.0.0.1", 5701, 0, verticles,
        2000);
    }
    if (conf.getJsonObject("database", new JsonObject()).getString("url", "").isBlank()) {
      throw new IllegalArgumentException("cluster mode needs a PostgreSQL shared by every node: set DATABASE_URL"
        + " (database.url); the embedded database serves one process only");
    }
    String storage = conf.getJsonObject("generation", new JsonObject())
      .getJsonObject("storage", new JsonObject()).getString("type", "local");
    if (!"s3".equals(storage)) {
      throw new IllegalArgumentException("cluster mode needs images in S3 (generation.storage.type: s3), not '"
        + storage + "': a node cannot read another node's local files");
    }
    List<String> members = strings(cluster.getJsonArray("members", new JsonArray()), "cluster.members");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("cluster.members must name at least one node to join (host or host:port);"
        + " multicast discovery is off");
    }
    List<String> roles = cluster.containsKey("roles")
      ? strings(cluster.getJsonArray("roles"), "cluster.roles") : verticles;
    for (String role : roles) {
      if (!verticles.contains(role)) {
        throw new IllegalArgumentException("cluster.roles names '" + role + "', which is not in verticles "
          + verticles + ": a node runs only verticles of the cluster");
      }
    }
    // The prompt store's files are the truth the database mirrors: a node taking evolution over must find the
    // files the last holder wrote, not a store of its own seeded afresh.
    if (roles.contains("evolution")
      && conf.getJsonObject("evolution", new JsonObject()).getString("prompts_dir", "").isBlank()) {
      throw new IllegalArgumentException("a cluster node with the evolution role needs evolution.prompts_dir on a"
        + " directory every evolution node shares (a shared volume); the default <data_dir>/prompts is this node's own");
    }
    String nodeName = cluster.getString("node_name", defaultNodeName());
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("cluster.node_name must not be blank");
    }
    int port = cluster.getInteger("port", 5701);
    int busPort = cluster.getInteger("bus_port", 0);
    if (port < 1 || port > 65535 || busPort < 0 || busPort > 65535) {
      throw new IllegalArgumentException("cluster.port must be 1-65535 and cluster.bus_port 0-65535");
    }
    long leaseRetryMs = cluster.getLong("lease_retry_ms", 2000L);
    if (leaseRetryMs < 100) {
      throw new IllegalArgumentException("cluster.lease_retry_ms must be at least 100");
    }
    return new ClusterSettings(true, cluster.getString("name", "promptlab"), nodeName, members,
      cluster.getString("host", "127.0.0.1"), port, busPort,
      verticles.stream().filter(roles::contains).toList(), leaseRetryMs);
  }

  /** Binds the event bus to {@link #host} and {@link #busPort}. */
  VertxOptions applyTo(VertxOptions options) {
    options.getEventBusOptions().setHost(host).setPort(busPort);
    return options;
  }

  /**
   * A Hazelcast cluster manager configured here rather than by an XML file on the class path: TCP/IP join on
   * {@link #members}, no multicast, bound to {@link #host}, the node's name as a member attribute.
   */
  HazelcastClusterManager clusterManager() {
    Config config = new Config();
    config.setClusterName(name);
    // Hazelcast would otherwise log through java.util.logging, report home and stop itself on SIGTERM before our
    // ordered stop has released the singletons.
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A member that stops answering leaves the bus's routing within seconds, not the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeName);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    // Bound to the configured address only (a host name is resolved), never to every interface of the machine.
    config.setProperty("hazelcast.local.localAddress", host);
    config.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(members));
    // The structures the Vert.x cluster manager expects (its default-cluster.xml declares the same).
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
      .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.getMapConfig("__vertx.haInfo").setBackupCount(1);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
    return new HazelcastClusterManager(config);
  }

  private static String defaultNodeName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "promptlab";
    }
  }

  private static List<String> strings(JsonArray array, String key) {
    List<String> values = new ArrayList<>();
    for (Object value : array) {
      if (!(value instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(key + " must list names, found " + value);
      }
      values.add(s);
    }
    return List.copyOf(values);
  }
}
