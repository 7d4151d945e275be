package dev.promptlab.generation.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void theSliceValueIsKeptAndNeverPrintedAndAMissingOneNamesTheVariable() {
    assertEquals("from-config", Secret.required(" from-config ", "X_KEY").reveal());
    assertEquals("****", Secret.required("abc", "X_KEY").toString());
    for (String missing : new String[] {null, " "}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Secret.required(missing, "X_KEY"));
      assertTrue(refused.getMessage().contains("X_KEY"));
    }
  }

  @Test
  void leonardoSettingsNeverPrintTheKey() {
    LeonardoSettings settings = LeonardoSettings.from(new JsonObject().put("api_key", "leo-secret-1"));
    assertEquals("leo-secret-1", settings.apiKey().reveal());
    assertFalse(settings.toString().contains("leo-secret-1"));
    assertEquals(LeonardoSettings.DEFAULT_BASE_URL, settings.baseUrl());
    assertThrows(IllegalArgumentException.class,
      () -> LeonardoSettings.from(new JsonObject().put("base_url", "ftp://x").put("api_key", "k")));
    assertThrows(IllegalArgumentException.class,
      () -> LeonardoSettings.from(new JsonObject().put("max_attempts", 0).put("api_key", "k")));
  }
}
