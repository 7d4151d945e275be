package dev.promptlab.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which verticles {@code /ready} pings: the explicit list, else what the launcher deploys, else the built-in one. */
class HttpConfigTest {

  private static final JsonArray DEPLOYED = new JsonArray(List.of("metrics", "optimizer", "http", "reward", "textopt"));

  @Test
  void readyPingsEveryDeployedVerticleButHttpItself() {
    assertEquals(List.of("metrics", "optimizer", "reward", "textopt"),
      HttpConfig.fromJson(new JsonObject().put("verticles", DEPLOYED)).readyVerticles());
  }

  @Test
  void anExplicitListWinsOverTheDeployedOnes() {
    assertEquals(List.of("optimizer"), HttpConfig.fromJson(new JsonObject().put("verticles", DEPLOYED)
      .put("ready_verticles", new JsonArray(List.of("optimizer")))).readyVerticles());
  }

  @Test
  void withoutALauncherTheBuiltInListApplies() {
    assertEquals(HttpConfig.DEFAULT_READY_VERTICLES, HttpConfig.fromJson(new JsonObject()).readyVerticles());
  }
}
