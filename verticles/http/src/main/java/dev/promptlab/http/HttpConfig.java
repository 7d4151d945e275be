package dev.promptlab.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The http verticle's configuration slice, with defaults. Every key is documented in the module
 * README; {@link #fromJson} refuses values that cannot work so a bad deploy fails at start.
 */
public record HttpConfig(String host, int port, JsonObject db, int poolSize, String webroot, long maxUploadBytes,
                         String uploadsDir, String adminToken, long requestTimeoutMs, long busTimeoutMs,
                         long optimizerTimeoutMs, long pingTimeoutMs, long redeployTimeoutMs,
                         List<String> readyVerticles) {

  public static final List<String> DEFAULT_READY_VERTICLES = List.of("generation", "optimizer", "evolution", "metrics");

  public static HttpConfig fromJson(JsonObject json) {
    long busTimeout = positive(json, "bus_timeout_ms", 120_000);
    JsonArray ready = json.getJsonArray("ready_verticles");
    List<String> readyVerticles = ready == null ? DEFAULT_READY_VERTICLES
      : ready.stream().map(String::valueOf).toList();
    int port = json.getInteger("port", 8080);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be in [0, 65535], got " + port);
    }
    String token = json.getString("admin_token");
    return new HttpConfig(
      json.getString("host", "0.0.0.0"),
      port,
      json.getJsonObject("db", new JsonObject()),
      (int) positive(json, "pool_size", 8),
      json.getString("webroot", "webroot"),
      positive(json, "max_upload_bytes", 20L * 1024 * 1024),
      json.getString("uploads_dir", System.getProperty("java.io.tmpdir") + "/promptlab-uploads"),
      token == null || token.isBlank() ? null : token,
      positive(json, "request_timeout_ms", busTimeout * 2 + 10_000),
      busTimeout,
      positive(json, "optimizer_timeout_ms", 15_000),
      positive(json, "ping_timeout_ms", 2_000),
      positive(json, "redeploy_timeout_ms", 60_000),
      readyVerticles);
  }

  private static long positive(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.longValue() <= 0) {
      throw new IllegalArgumentException("http." + key + " must be a positive number, got " + value);
    }
    return n.longValue();
  }

  /** Never print the admin token, even in a debug dump of the configuration. */
  @Override
  public String toString() {
    return "HttpConfig[host=" + host + ", port=" + port + ", webroot=" + webroot + ", maxUploadBytes=" + maxUploadBytes
      + ", adminToken=" + (adminToken == null ? "unset" : "***") + "]";
  }
}
