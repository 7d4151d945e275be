package dev.promptlab.generation.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void configValueWinsThenTheEnvironmentAndNeitherIsPrinted() {
    assertEquals("from-config", Secret.required("from-config", "X_KEY", Map.of("X_KEY", "from-env")).reveal());
    assertEquals("from-env", Secret.required(" ", "X_KEY", Map.of("X_KEY", "from-env")).reveal());
    assertEquals("****", Secret.required("abc", "X_KEY", Map.of()).toString());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
      () -> Secret.required(null, "X_KEY", Map.of()));
    assertTrue(missing.getMessage().contains("X_KEY"));
  }

  @Test
  void leonardoSettingsNeverPrintTheKey() {
    LeonardoSettings settings = LeonardoSettings.from(new JsonObject(), Map.of("LEONARDO_API_KEY", "leo-secret-1"));
    assertEquals("leo-secret-1", settings.apiKey().reveal());
    assertFalse(settings.toString().contains("leo-secret-1"));
    assertEquals(LeonardoSettings.DEFAULT_BASE_URL, settings.baseUrl());
    assertThrows(IllegalArgumentException.class,
      () -> LeonardoSettings.from(new JsonObject().put("base_url", "ftp://x"), Map.of("LEONARDO_API_KEY", "k")));
    assertThrows(IllegalArgumentException.class,
      () -> LeonardoSettings.from(new JsonObject().put("max_attempts", 0), Map.of("LEONARDO_API_KEY", "k")));
  }
}
