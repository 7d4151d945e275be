package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cluster mode refuses, at start and with its reason, a configuration one node of a cluster cannot run with. */
@ExtendWith(BlockedThreadGuard.class)
class ClusterStartupTest {

  private Vertx vertx;
  private JsonObject environment;

  @BeforeEach
  void setUp() throws Exception {
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-startup-");
    environment = new JsonObject()
      .put("PROMPTLAB_DATA_DIR", root.resolve("data").toString())
      .put("PROMPTLAB__CLUSTER__ENABLED", "true")
      .put("PROMPTLAB__CLUSTER__MEMBERS", "[\"127.0.0.1\"]");
    vertx = TestVertx.create();
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private String failure() {
    Exception failed = assertThrows(Exception.class, () -> await(vertx.deployVerticle(new PromptLabVerticle(),
      new DeploymentOptions().setConfig(new JsonObject()
        .put("config_path", RunningServer.projectRoot().resolve("conf/promptlab.yaml").toString())
        .put("environment", environment)))));
    assertTrue(vertx.deploymentIDs().isEmpty(), "nothing stays deployed");
    return failed.getMessage();
  }

  @Test
  void theEmbeddedDatabaseIsRefusedBeforeItStarts() {
    String message = failure();
    assertTrue(message.contains("cluster mode needs a PostgreSQL shared by every node"), message);
  }

  @Test
  void localImageStorageIsRefused() {
    environment.put("DATABASE_URL", TestDatabase.settings().url());
    String message = failure();
    assertTrue(message.contains("cluster mode needs images in S3"), message);
  }

  @Test
  void aVertxStartedWithoutClusteringIsRefused() {
    environment.put("DATABASE_URL", TestDatabase.settings().url());
    environment.put("PROMPTLAB__GENERATION__STORAGE__TYPE", "s3");
    environment.put("PROMPTLAB__EVOLUTION__PROMPTS_DIR", "/shared/prompts");
    String message = failure();
    assertTrue(message.contains("this Vert.x is not clustered"), message);
  }
}
