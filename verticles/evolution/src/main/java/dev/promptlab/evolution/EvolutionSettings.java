package dev.promptlab.evolution;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The evolution verticle's config slice, validated once at start.
 *
 * <pre>
 * {
 *   "db": {PgConnectOptions JSON, "pool_size": 4},
 *   "data_dir": "./data",           (the launcher passes its data directory)
 *   "prompts_dir": "&lt;data_dir&gt;/prompts",
 *   "triggers": {"every_samples": 10, "periodic_below": 4.5, "low_performance_after": 20,
 *                "low_performance_below": 4.0, "plateau_samples": 15, "min_samples_between": 5},
 *   "analysis": {"window": 20, "low_rating_max": 3, "max_issues": 6},
 *   "ab_test": {"samples_per_arm": 5, "min_margin": 0.25, "min_probability": 0.8, "min_sd": 0.5,
 *               "require_review": false},
 *   "llm": {"provider": "offline" | "openai", "base_url": "https://api.openai.com/v1", "model": "gpt-4o-mini",
 *           "api_key": (from OPENAI_API_KEY only), "timeout_ms": 30000, "max_attempts": 3,
 *           "retry_backoff_ms": 500, "temperature": 0.4, "breaker_max_failures": 5, "breaker_reset_ms": 60000},
 *   "stop_grace_ms": 10000
 * }
 * </pre>
 * The prompt store lives under the data directory unless {@code prompts_dir} names another folder: it changes at
 * run time, so it belongs where the rest of the state is kept (a container's volume).
 */
public record EvolutionSettings(JsonObject db, int poolSize, Path promptsDir, Triggers triggers, Analysis analysis,
                                AbTest abTest, Llm llm, long stopGraceMs) {

  /** When an evolution starts on its own (seed 002). */
  public record Triggers(int everySamples, double periodicBelow, int lowPerformanceAfter, double lowPerformanceBelow,
                         int plateauSamples, int minSamplesBetween) {
  }

  /** Which comments the issue analysis reads. */
  public record Analysis(int window, int lowRatingMax, int maxIssues) {
  }

  /** Length and decision rule of an A/B test. */
  public record AbTest(int samplesPerArm, double minMargin, double minProbability, double minSd,
                       boolean requireReview) {
  }

  /** The LLM provider; {@code apiKey} is never logged nor put in a reply. */
  public record Llm(String provider, String baseUrl, String model, String apiKey, long timeoutMs, int maxAttempts,
                    long retryBackoffMs, double temperature, int breakerMaxFailures, long breakerResetMs) {

    @Override
    public String toString() {
      return "Llm[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
        + (apiKey == null ? "unset" : "set") + "]";
    }
  }

  public static final String OFFLINE = "offline";
  public static final String OPENAI = "openai";
  static final String DEFAULT_DATA_DIR = "./data";
  static final String PROMPTS_FOLDER = "prompts";

  /** Reads the slice; throws {@link IllegalArgumentException} naming the bad key. */
  public static EvolutionSettings from(JsonObject config) {
    JsonObject db = config.getJsonObject("db", new JsonObject());
    int poolSize = intIn(db, "pool_size", 4, 1, 64);
    JsonObject t = object(config, "triggers");
    Triggers triggers = new Triggers(intIn(t, "every_samples", 10, 1, 100_000),
      doubleIn(t, "periodic_below", 4.5, 1, 5.01), intIn(t, "low_performance_after", 20, 1, 100_000),
      doubleIn(t, "low_performance_below", 4.0, 1, 5.01), intIn(t, "plateau_samples", 15, 1, 100_000),
      intIn(t, "min_samples_between", 5, 0, 100_000));
    JsonObject a = object(config, "analysis");
    Analysis analysis = new Analysis(intIn(a, "window", 20, 1, 1000), intIn(a, "low_rating_max", 3, 1, 4),
      intIn(a, "max_issues", 6, 1, 20));
    JsonObject ab = object(config, "ab_test");
    AbTest abTest = new AbTest(intIn(ab, "samples_per_arm", 5, 1, 1000), doubleIn(ab, "min_margin", 0.25, 0, 4),
      doubleIn(ab, "min_probability", 0.8, 0.5, 0.9999), doubleIn(ab, "min_sd", 0.5, 0.01, 4),
      bool(ab, "require_review", false));
    JsonObject l = object(config, "llm");
    String provider = l.getString("provider", OFFLINE);
    if (!OFFLINE.equals(provider) && !OPENAI.equals(provider)) {
      throw new IllegalArgumentException("evolution.llm.provider must be \"offline\" or \"openai\", got " + provider);
    }
    String baseUrl = l.getString("base_url", "https://api.openai.com/v1");
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new IllegalArgumentException("evolution.llm.base_url must be an http(s) URL");
    }
    String apiKey = l.getString("api_key");
    Llm llm = new Llm(provider, baseUrl.replaceAll("/+$", ""), l.getString("model", "gpt-4o-mini"),
      apiKey == null || apiKey.isBlank() ? null : apiKey, intIn(l, "timeout_ms", 30_000, 100, 600_000),
      intIn(l, "max_attempts", 3, 1, 10), intIn(l, "retry_backoff_ms", 500, 0, 60_000),
      doubleIn(l, "temperature", 0.4, 0, 2), intIn(l, "breaker_max_failures", 5, 1, 1000),
      intIn(l, "breaker_reset_ms", 60_000, 100, 3_600_000));
    return new EvolutionSettings(db, poolSize, promptsDir(config), triggers, analysis, abTest, llm,
      intIn(config, "stop_grace_ms", 10_000, 0, 600_000));
  }

  /** {@code prompts_dir} when given, else {@code <data_dir>/prompts}. */
  private static Path promptsDir(JsonObject config) {
    String explicit = text(config, "prompts_dir");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String dataDir = text(config, "data_dir");
    return Path.of(dataDir == null ? DEFAULT_DATA_DIR : dataDir).resolve(PROMPTS_FOLDER);
  }

  private static String text(JsonObject config, String key) {
    Object value = config.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("evolution." + key + " must be a folder path, got " + value);
    }
    return s;
  }

  private static JsonObject object(JsonObject config, String key) {
    Object value = config.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject json)) {
      throw new IllegalArgumentException("evolution." + key + " must be an object");
    }
    return json;
  }

  private static int intIn(JsonObject json, String key, int fallback, int min, int max) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
      || n.doubleValue() > max) {
      throw new IllegalArgumentException(key + " must be an integer in [" + min + ", " + max + "], got " + value);
    }
    return n.intValue();
  }

  private static double doubleIn(JsonObject json, String key, double fallback, double min, double max) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
      throw new IllegalArgumentException(key + " must be a number in [" + min + ", " + max + "], got " + value);
    }
    return n.doubleValue();
  }

  private static boolean bool(JsonObject json, String key, boolean fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw new IllegalArgumentException(key + " must be true or false, got " + value);
    }
    return b;
  }
}
