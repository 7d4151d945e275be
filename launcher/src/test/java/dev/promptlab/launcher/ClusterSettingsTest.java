package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

  /** A configuration cluster mode accepts: external database, S3 images, one member. */
  private static JsonObject clustered() {
    return new JsonObject()
      .put("verticles", new JsonArray(List.of("metrics", "optimizer", "evolution", "generation", "http")))
      .put("database", new JsonObject().put("url", "postgresql://db.example:5432/promptlab"))
      .put("generation", new JsonObject().put("storage", new JsonObject().put("type", "s3")))
      .put("evolution", new JsonObject().put("prompts_dir", "/shared/prompts"))
      .put("cluster", new JsonObject().put("enabled", true).put("node_name", "node-a")
        .put("members", new JsonArray(List.of("10.0.0.1", "10.0.0.2:5702"))).put("host", "10.0.0.1"));
  }

  private static String refusal(JsonObject conf) {
    return assertThrows(IllegalArgumentException.class, () -> ClusterSettings.from(conf)).getMessage();
  }

  @Test
  void offByDefaultWithEveryVerticleAsARole() {
    ClusterSettings settings = ClusterSettings.from(new JsonObject()
      .put("verticles", new JsonArray(List.of("optimizer", "http"))));
    assertFalse(settings.enabled());
    assertEquals(List.of("optimizer", "http"), settings.roles());
  }

  @Test
  void offIgnoresWhatClusterModeWouldRefuse() {
    JsonObject conf = clustered();
    conf.getJsonObject("cluster").put("enabled", false).remove("members");
    conf.remove("database");
    assertFalse(ClusterSettings.from(conf).enabled());
  }

  @Test
  void theEmbeddedDatabaseRefusesClusterMode() {
    JsonObject conf = clustered();
    conf.getJsonObject("database").put("url", "");
    String message = refusal(conf);
    assertTrue(message.contains("DATABASE_URL") && message.contains("embedded database serves one process"), message);
  }

  @Test
  void localImageStorageRefusesClusterMode() {
    JsonObject conf = clustered();
    conf.getJsonObject("generation").getJsonObject("storage").put("type", "local");
    String message = refusal(conf);
    assertTrue(message.contains("generation.storage.type: s3") && message.contains("'local'"), message);
  }

  @Test
  void localImageStorageByDefaultRefusesClusterModeToo() {
    JsonObject conf = clustered();
    conf.remove("generation");
    assertTrue(refusal(conf).contains("'local'"));
  }

  @Test
  void clusterModeNeedsMembers() {
    JsonObject conf = clustered();
    conf.getJsonObject("cluster").put("members", new JsonArray());
    assertTrue(refusal(conf).contains("cluster.members must name at least one node"));
  }

  @Test
  void aRoleOutsideTheClusterVerticlesIsRefused() {
    JsonObject conf = clustered();
    conf.getJsonObject("cluster").put("roles", new JsonArray(List.of("http", "reward")));
    String message = refusal(conf);
    assertTrue(message.contains("'reward'") && message.contains("not in verticles"), message);
  }

  @Test
  void anEvolutionNodeNeedsASharedPromptStore() {
    JsonObject conf = clustered();
    conf.remove("evolution");
    String message = refusal(conf);
    assertTrue(message.contains("evolution.prompts_dir") && message.contains("shares"), message);
    conf.getJsonObject("cluster").put("roles", new JsonArray(List.of("http", "generation", "optimizer")));
    assertTrue(ClusterSettings.from(conf).enabled(), "a node without the evolution role needs no prompt store");
  }

  @Test
  void aBlankRoleIsRefused() {
    JsonObject conf = clustered();
    conf.getJsonObject("cluster").put("roles", new JsonArray(List.of("http", " ")));
    assertTrue(refusal(conf).contains("cluster.roles must list names"));
  }

  @Test
  void aShortLeaseRetryIsRefused() {
    JsonObject conf = clustered();
    conf.getJsonObject("cluster").put("lease_retry_ms", 10);
    assertTrue(refusal(conf).contains("cluster.lease_retry_ms must be at least 100"));
  }

  @Test
  void rolesKeepTheDeployOrderOfVerticles() {
    JsonObject conf = clustered();
    conf.getJsonObject("cluster").put("roles", new JsonArray(List.of("http", "optimizer", "generation")));
    assertEquals(List.of("optimizer", "generation", "http"), ClusterSettings.from(conf).roles());
  }

  @Test
  void hazelcastJoinsOverTcpOnTheConfiguredMembersWithoutMulticast() {
    ClusterSettings settings = ClusterSettings.from(clustered());
    Config config = settings.clusterManager().getConfig();
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.1", "10.0.0.2:5702"), join.getTcpIpConfig().getMembers());
    assertEquals("promptlab", config.getClusterName());
    assertEquals(5701, config.getNetworkConfig().getPort());
    assertEquals("10.0.0.1", config.getProperty("hazelcast.local.localAddress"));
    assertEquals("node-a", config.getMemberAttributeConfig().getAttribute(ClusterSettings.NODE_ATTRIBUTE));
    assertEquals("SET", config.getMultiMapConfig("__vertx.subs").getValueCollectionType().name());
  }

  @Test
  void theEventBusBindsTheClusterHost() {
    JsonObject conf = clustered();
    conf.getJsonObject("cluster").put("bus_port", 15701);
    VertxOptions options = ClusterSettings.from(conf).applyTo(new VertxOptions());
    assertEquals("10.0.0.1", options.getEventBusOptions().getHost());
    assertEquals(15701, options.getEventBusOptions().getPort());
  }
}
