package dev.promptlab.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherSettingsTest {

  private final JsonObject file = new JsonObject()
    .put("data_dir", "./data")
    .put("http", new JsonObject().put("port", 8080).put("host", "0.0.0.0"))
    .put("generation", new JsonObject().put("providers", new JsonObject().put("leonardo", "local")));

  @Test
  void environmentOverridesNestedKeysWithTypedValues() {
    JsonObject config = LauncherSettings.resolve(file, Map.of(
      "PROMPTLAB__HTTP__PORT", "9090",
      "PROMPTLAB__GENERATION__PROVIDERS__LEONARDO", "leonardo",
      "PROMPTLAB__OPTIMIZER__TARGET_RATING", "4.2",
      "UNRELATED", "x"));
    assertEquals(9090, config.getJsonObject("http").getInteger("port"));
    assertEquals("0.0.0.0", config.getJsonObject("http").getString("host"));
    assertEquals("leonardo", config.getJsonObject("generation").getJsonObject("providers").getString("leonardo"));
    assertEquals(4.2, config.getJsonObject("optimizer").getDouble("target_rating"));
    assertFalse(config.containsKey("unrelated"));
    assertEquals(8080, file.getJsonObject("http").getInteger("port"), "the file config is not modified");
  }

  @Test
  void namedVariablesLandOnTheirDocumentedKeys() {
    JsonObject config = LauncherSettings.resolve(file, Map.of(
      "DATABASE_URL", "postgresql://u:p@db:5432/lab",
      "PROMPTLAB_HTTP_PORT", "8181",
      "TRAINING_ADMIN_EMAILS", "Ana@Example.com, luis@example.com",
      "ENABLE_TRAINING_MODE", "false",
      "LEONARDO_API_KEY", "key-123",
      "AUTOMATIC1111_API_AUTH", "lab:pw"));
    assertEquals("postgresql://u:p@db:5432/lab", config.getJsonObject("database").getString("url"));
    assertEquals(8181, config.getJsonObject("http").getInteger("port"));
    assertEquals(new JsonArray().add("ana@example.com").add("luis@example.com"),
      config.getJsonObject("http").getJsonArray("admin_emails"));
    assertEquals(false, config.getJsonObject("http").getBoolean("training_enabled"));
    assertEquals("key-123", config.getJsonObject("generation").getJsonObject("leonardo").getString("api_key"));
    assertEquals("lab:pw", config.getJsonObject("generation").getJsonObject("automatic1111").getString("api_auth"));
  }

  @Test
  void theUploadLimitIsSetOnceAndGivenToEveryVerticle() {
    JsonObject config = file.copy().put("max_upload_bytes", 1_000_000);
    assertEquals(1_000_000, LauncherSettings.sectionOf("http", config).getInteger("max_upload_bytes"));
    assertEquals(1_000_000, LauncherSettings.sectionOf("generation", config).getInteger("max_upload_bytes"));
    assertEquals(8080, LauncherSettings.sectionOf("http", config).getInteger("port"));
    assertFalse(LauncherSettings.sectionOf("http", file).containsKey("max_upload_bytes"), "unset: the default");
    JsonObject twice = config.copy();
    twice.getJsonObject("generation").put("max_upload_bytes", 2_000_000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> LauncherSettings.sectionOf("generation", twice));
    assertTrue(e.getMessage().contains("generation.max_upload_bytes"));
  }

  @Test
  void aSecretInTheFileIsRefusedWithoutEchoingIt() {
    JsonObject leaky = file.copy().put("evolution", new JsonObject()
      .put("llm", new JsonObject().put("api_key", "sk-live-very-secret")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> LauncherSettings.resolve(leaky, Map.of()));
    assertTrue(e.getMessage().contains("evolution.llm.api_key"));
    assertFalse(e.getMessage().contains("very-secret"));

    JsonObject credentialUrl = file.copy().put("database", new JsonObject().put("url", "postgresql://u:pw@h/db"));
    assertThrows(IllegalArgumentException.class, () -> LauncherSettings.resolve(credentialUrl, Map.of()));
    JsonObject fileAuth = file.copy().put("generation", new JsonObject()
      .put("automatic1111", new JsonObject().put("api_auth", "lab:pw")));
    assertThrows(IllegalArgumentException.class, () -> LauncherSettings.resolve(fileAuth, Map.of()));
    JsonObject emptySecret = file.copy().put("http", new JsonObject().put("admin_token", ""));
    assertEquals("", LauncherSettings.resolve(emptySecret, Map.of()).getJsonObject("http").getString("admin_token"));
  }

  @Test
  void malformedOverridePathIsRefused() {
    assertThrows(IllegalArgumentException.class,
      () -> LauncherSettings.resolve(file, Map.of("PROMPTLAB____PORT", "1")));
  }
}
