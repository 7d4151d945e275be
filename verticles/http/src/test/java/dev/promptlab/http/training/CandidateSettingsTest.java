package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CandidateSettingsTest {

  @Test
  void offByDefault() {
    CandidateSettings settings = CandidateSettings.fromJson(new JsonObject());
    assertEquals(2, settings.bestOfN());
    assertFalse(settings.modelChooses());
    assertNull(settings.screen());
    assertEquals(10_000, settings.rewardTimeoutMs());
  }

  @Test
  void bestOfNWithScreening() {
    CandidateSettings settings = CandidateSettings.fromJson(new JsonObject().put("best_of_n", 4)
      .put("screen_below_rating", 2.5).put("reward_timeout_ms", 3000));
    assertTrue(settings.modelChooses());
    assertEquals(new CandidateSelection.Screen(2.5, 1.0), settings.screen(), "one sigma unless configured");
    assertEquals(3000, settings.rewardTimeoutMs());
  }

  @Test
  void valuesThatCannotWorkAreRefusedWithTheKey() {
    assertRefused(new JsonObject().put("best_of_n", 1), "http.best_of_n");
    assertRefused(new JsonObject().put("best_of_n", 17), "http.best_of_n");
    assertRefused(new JsonObject().put("best_of_n", 3.5), "http.best_of_n");
    assertRefused(new JsonObject().put("best_of_n", "four"), "http.best_of_n");
    assertRefused(new JsonObject().put("screen_below_rating", 6), "http.screen_below_rating");
    assertRefused(new JsonObject().put("screen_below_rating", 3).put("screen_sigmas", -1), "http.screen_sigmas");
    assertRefused(new JsonObject().put("screen_below_rating", "low"), "http.screen_below_rating");
    assertRefused(new JsonObject().put("reward_timeout_ms", 0), "http.reward_timeout_ms");
    assertRefused(new JsonObject().put("reward_timeout_ms", "soon"), "http.reward_timeout_ms");
  }

  private static void assertRefused(JsonObject json, String key) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CandidateSettings.fromJson(json));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
