package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.database.DatabaseSettings;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.TestDatabase;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A redeploy reads the configuration again; when the new one is refused, the verticle comes back with the old one. */
@ExtendWith(BlockedThreadGuard.class)
class RedeployWithBadConfigTest {

  private Vertx vertx;
  private Path configFile;
  private String original;

  @BeforeEach
  void start() throws Exception {
    TestDatabase.reset();
    DatabaseSettings db = TestDatabase.settings();
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "redeploy-");
    configFile = root.resolve("promptlab.yaml");
    original = Files.readString(RunningServer.projectRoot().resolve("conf/promptlab.yaml"));
    Files.writeString(configFile, original);
    JsonObject environment = new JsonObject()
      .put("DATABASE_URL", db.url())
      .put("PROMPTLAB_DATA_DIR", root.resolve("data").toString())
      .put("PROMPTLAB__VERTICLES", "[\"optimizer\"]");
    vertx = TestVertx.create();
    await(vertx.deployVerticle(new PromptLabVerticle(), new DeploymentOptions()
      .setConfig(new JsonObject().put("config_path", configFile.toString()).put("environment", environment))));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private JsonObject request(String address, JsonObject body) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(address, body)).body();
  }

  @Test
  void aRefusedConfigurationLeavesTheVerticleRunningWithThePreviousOne() throws Exception {
    String before = request(Addresses.LAUNCHER_DEPLOYMENTS, new JsonObject()).getJsonObject("verticles").getString("optimizer");
    Files.writeString(configFile, original.replace("optimizer:\n", "optimizer:\n  model_timeout_ms: -5\n"));

    ReplyException reply = assertThrows(ReplyException.class,
      () -> request(Addresses.LAUNCHER_REDEPLOY, new JsonObject().put("verticle", "optimizer")));
    assertEquals(FailureCodes.INTERNAL, reply.failureCode());
    assertTrue(reply.getMessage().contains("model_timeout_ms"), reply.getMessage());
    assertTrue(reply.getMessage().contains("previous configuration was restored"), reply.getMessage());

    String after = request(Addresses.LAUNCHER_DEPLOYMENTS, new JsonObject()).getJsonObject("verticles").getString("optimizer");
    assertNotEquals(before, after, "a new instance runs");
    assertEquals("structure", request(Addresses.OPTIMIZER_STATUS, new JsonObject().put("study", "structure"))
      .getString("study"), "the restored optimizer answers");

    Files.writeString(configFile, original);
    assertEquals("optimizer", request(Addresses.LAUNCHER_REDEPLOY, new JsonObject().put("verticle", "optimizer"))
      .getString("verticle"), "a good configuration redeploys again");
  }

  @Test
  void anUnknownVerticleIsNotFound() {
    ReplyException failed = assertThrows(ReplyException.class,
      () -> request(Addresses.LAUNCHER_REDEPLOY, new JsonObject().put("verticle", "mailer")));
    assertEquals(FailureCodes.NOT_FOUND, failed.failureCode());
  }
}
