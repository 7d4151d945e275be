package dev.promptlab.textopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TextoptSettingsTest {

  private static final JsonObject DB = new JsonObject().put("host", "127.0.0.1");

  @Test
  void defaultsWhenOnlyTheDatabaseIsGiven() {
    TextoptSettings settings = TextoptSettings.from(new JsonObject().put("db", DB));
    assertEquals(10 * 1024 * 1024, settings.limits().maxBytes());
    assertEquals(50_000, settings.limits().maxRows());
    assertEquals(100_000, settings.limits().maxFieldChars());
    assertEquals(0.2, settings.evalRatio());
    assertEquals(1, settings.parseThreads());
  }

  @Test
  void valuesThatCannotWorkRefuseTheDeployWithTheKey() {
    assertEquals("textopt config needs a \"db\" object (PgConnectOptions JSON)",
      assertThrows(IllegalArgumentException.class, () -> TextoptSettings.from(new JsonObject())).getMessage());
    assertEquals("textopt config: eval_ratio must be a number between 0 and 1 (both excluded)",
      assertThrows(IllegalArgumentException.class, () -> TextoptSettings.from(new JsonObject().put("db", DB)
        .put("eval_ratio", 1))).getMessage());
    assertEquals("textopt config: max_dataset_rows must be a whole number above 0",
      assertThrows(IllegalArgumentException.class, () -> TextoptSettings.from(new JsonObject().put("db", DB)
        .put("max_dataset_rows", "many"))).getMessage());
    assertEquals("textopt config: max_dataset_rows must be at least 2 (a row to train on and one to evaluate)",
      assertThrows(IllegalArgumentException.class, () -> TextoptSettings.from(new JsonObject().put("db", DB)
        .put("max_dataset_rows", 1))).getMessage());
  }
}
