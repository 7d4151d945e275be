package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.database.DatabaseSettings;
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

/** A start that cannot work stops at once and says why, without leaving verticles behind. */
@ExtendWith(BlockedThreadGuard.class)
class StartupFailureTest {

  private Vertx vertx;
  private Path root;
  private JsonObject environment;

  @BeforeEach
  void setUp() throws Exception {
    DatabaseSettings db = TestDatabase.settings();
    root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "startup-");
    environment = new JsonObject()
      .put("DATABASE_URL", db.url())
      .put("PROMPTLAB_DATA_DIR", root.resolve("data").toString());
    vertx = TestVertx.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private String failureOf(Path config) {
    Exception failed = assertThrows(Exception.class, () -> await(vertx.deployVerticle(
      new PromptLabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("config_path", config.toString()).put("environment", environment)))));
    assertTrue(vertx.deploymentIDs().isEmpty(), "nothing stays deployed");
    return failed.getMessage();
  }

  @Test
  void anUnknownVerticleIsNamed() {
    environment.put("PROMPTLAB__VERTICLES", "[\"optimizer\", \"mailer\"]");
    String message = failureOf(RunningServer.projectRoot().resolve("conf/promptlab.yaml"));
    assertTrue(message.contains("unknown verticle in 'verticles': mailer"), message);
  }

  @Test
  void aMissingConfigurationFileIsNamed() {
    String message = failureOf(root.resolve("nowhere.yaml"));
    assertTrue(message.contains("configuration file not found") && message.contains("nowhere.yaml"), message);
  }

  @Test
  void aSecretInTheFileIsRefused() throws Exception {
    Path config = root.resolve("leaky.yaml");
    Files.writeString(config, "evolution:\n  llm:\n    api_key: sk-in-the-file-0123\n");
    String message = failureOf(config);
    assertTrue(message.contains("evolution.llm.api_key"), message);
    assertFalse(message.contains("sk-in-the-file-0123"), message);
  }

  @Test
  void aVerticleThatRefusesItsConfigurationIsNamed() {
    environment.put("PROMPTLAB__VERTICLES", "[\"optimizer\"]");
    environment.put("PROMPTLAB__OPTIMIZER__MODEL_TIMEOUT_MS", "-1");
    String message = failureOf(RunningServer.projectRoot().resolve("conf/promptlab.yaml"));
    assertTrue(message.contains("verticle 'optimizer' failed to deploy") && message.contains("model_timeout_ms"), message);
  }
}
