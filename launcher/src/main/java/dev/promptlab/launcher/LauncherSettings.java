package dev.promptlab.launcher;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the configuration file plus the process environment into the effective configuration.
 *
 * <p>Rules: secrets may come from the environment only, so a file that carries a secret-looking key
 * is refused; {@code PROMPTLAB__SECTION__KEY=value} overrides any key (values parsed as JSON when they
 * parse, strings otherwise); the named variables in {@link #NAMED} override their documented key.
 */
public final class LauncherSettings {

  /** Environment variable → configuration path. Secrets are marked so they are never logged. */
  static final Map<String, String> NAMED = Map.ofEntries(
    Map.entry("DATABASE_URL", "database.url"),
    Map.entry("PROMPTLAB_DATA_DIR", "data_dir"),
    Map.entry("PROMPTLAB_HTTP_PORT", "http.port"),
    Map.entry("PROMPTLAB_ADMIN_TOKEN", "http.admin_token"),
    Map.entry("TRAINING_ADMIN_EMAILS", "http.admin_emails"),
    Map.entry("ENABLE_TRAINING_MODE", "http.training_enabled"),
    Map.entry("OPENAI_API_KEY", "evolution.llm.api_key"),
    Map.entry("LEONARDO_API_KEY", "generation.leonardo.api_key"),
    Map.entry("REPLICATE_API_TOKEN", "generation.replicate.api_token"),
    Map.entry("AUTOMATIC1111_API_AUTH", "generation.automatic1111.api_auth"));

  static final String OVERRIDE_PREFIX = "PROMPTLAB__";

  /**
   * Top-level keys that several verticles read, put into each section so that they cannot disagree: the upload
   * limit is checked by http on the request body and by generation on the image.
   */
  static final List<String> SHARED_KEYS = List.of("max_upload_bytes");

  private static final Pattern SECRET_KEY = Pattern.compile(
    "(?i).*(password|passwd|secret|api_key|apikey|api_token|api_auth|access_key|admin_token|private_key).*");

  private LauncherSettings() {
  }

  /**
   * The effective configuration.
   *
   * @throws IllegalArgumentException when the file holds a secret or an override is malformed
   */
  public static JsonObject resolve(JsonObject fileConfig, Map<String, String> environment) {
    List<String> leaked = new ArrayList<>();
    findSecrets(fileConfig, "", leaked);
    if (!leaked.isEmpty()) {
      throw new IllegalArgumentException("secrets come from the environment only; remove " + leaked
        + " from the configuration file and set the documented environment variable instead");
    }
    JsonObject config = fileConfig.copy();
    environment.entrySet().stream()
      .filter(e -> e.getKey().startsWith(OVERRIDE_PREFIX) && e.getKey().length() > OVERRIDE_PREFIX.length())
      .sorted(Map.Entry.comparingByKey())
      .forEach(e -> put(config, e.getKey().substring(OVERRIDE_PREFIX.length()).toLowerCase(Locale.ROOT)
        .replace("__", "."), parse(e.getValue())));
    NAMED.forEach((variable, path) -> {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        put(config, path, path.endsWith("admin_emails") ? emails(value) : typed(path, value));
      }
    });
    return config;
  }

  /**
   * A copy of the verticle {@code name}'s section of the effective configuration, with the {@link #SHARED_KEYS}
   * that are set.
   *
   * @throws IllegalArgumentException when the section sets a shared key itself
   */
  static JsonObject sectionOf(String name, JsonObject config) {
    JsonObject section = config.getJsonObject(name, new JsonObject()).copy();
    for (String key : SHARED_KEYS) {
      if (section.containsKey(key)) {
        throw new IllegalArgumentException(key + " is set once, at the top level of the configuration, and given"
          + " to every verticle; remove " + name + "." + key);
      }
      if (config.containsKey(key)) {
        section.put(key, config.getValue(key));
      }
    }
    return section;
  }

  private static Object typed(String path, String value) {
    if (path.endsWith("port") || path.endsWith("training_enabled")) {
      return parse(value);
    }
    return value;
  }

  private static JsonArray emails(String value) {
    JsonArray list = new JsonArray();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        list.add(part.trim().toLowerCase(Locale.ROOT));
      }
    }
    return list;
  }

  private static Object parse(String value) {
    try {
      return Json.decodeValue(value);
    } catch (DecodeException e) {
      return value;
    }
  }

  private static void put(JsonObject config, String path, Object value) {
    String[] keys = path.split("\\.");
    JsonObject node = config;
    for (int i = 0; i < keys.length - 1; i++) {
      if (keys[i].isEmpty()) {
        throw new IllegalArgumentException("malformed override path: " + path);
      }
      Object child = node.getValue(keys[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(keys[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(keys[keys.length - 1], value);
  }

  private static void findSecrets(JsonObject node, String prefix, List<String> found) {
    for (Map.Entry<String, Object> entry : node) {
      String path = prefix + entry.getKey();
      Object value = entry.getValue();
      if (value instanceof JsonObject child) {
        findSecrets(child, path + ".", found);
      } else if (value instanceof String text && !text.isBlank()) {
        boolean credentialUrl = path.equals("database.url") && text.matches(".*://[^/@]*:[^/@]*@.*");
        if (SECRET_KEY.matcher(entry.getKey()).matches() || credentialUrl) {
          found.add(path);
        }
      }
    }
  }
}
