package dev.promptlab.textopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RunSettingsTest {

  private static RunSettings from(JsonObject json) {
    return RunSettings.from(json, name -> null);
  }

  @Test
  void theMetaModelIsOffAndLearnsFromTwentyToTwoThousandCandidatesByDefault() {
    RunSettings settings = from(new JsonObject());
    assertFalse(settings.metaModel());
    assertEquals(20, settings.metaModelMinHistory());
    assertEquals(2000, settings.metaModelMaxHistory());
    RunSettings on = from(new JsonObject().put("meta_model", true).put("meta_model_min_history", 5000));
    assertTrue(on.metaModel());
    assertEquals(5000, on.metaModelMinHistory());
    assertEquals(5000, on.metaModelMaxHistory(), "the default upper bound rises to a larger lower bound");
  }

  @Test
  void badMetaModelSettingsAreRefusedWithTheKeyToFix() {
    assertEquals("textopt config: meta_model must be true or false", assertThrows(IllegalArgumentException.class,
      () -> from(new JsonObject().put("meta_model", "yes"))).getMessage());
    assertEquals("textopt config: meta_model_min_history must be a whole number from 2 to 100000",
      assertThrows(IllegalArgumentException.class,
        () -> from(new JsonObject().put("meta_model_min_history", 1))).getMessage());
    assertEquals("textopt config: meta_model_max_history (10) must not be below meta_model_min_history (30)",
      assertThrows(IllegalArgumentException.class, () -> from(new JsonObject().put("meta_model_min_history", 30)
        .put("meta_model_max_history", 10))).getMessage());
  }
}
