package dev.promptlab.generation;

import dev.promptlab.contract.ParameterSpace;
import dev.promptlab.generation.provider.LocalImageProvider;
import dev.promptlab.generation.provider.ProviderCatalogue;
import dev.promptlab.generation.storage.LocalImageStorage;
import dev.promptlab.generation.storage.S3ImageStorage;
import dev.promptlab.generation.storage.S3Settings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generation verticle's config slice, checked once at deploy time so that a typo fails the deploy
 * with a clear sentence instead of failing the first trainer's upload.
 *
 * @param db             PgConnectOptions JSON (plus {@code pool_size})
 * @param dataDir        root of local files; images live in {@code <data_dir>/images}
 * @param publicBaseUrl  prefix of image URLs ("" gives relative {@code /images/<public id>})
 * @param providerByApi  which provider renders each {@code api} value
 * @param storageType    where new images are written: {@code local} or {@code s3}
 * @param external       the checked settings of each external provider an api maps to
 * @param s3             S3 settings, null unless {@code storage.type} is {@code s3}
 * @param providerConnections HTTP connections per host of the external providers' shared client
 */
record GenerationSettings(JsonObject db, int poolSize, Path dataDir, String publicBaseUrl, long maxUploadBytes,
                          long maxPixels, int maxEdge, int renderWorkers, Map<String, String> providerByApi,
                          String storageType, List<ProviderCatalogue.Configured> external, S3Settings s3,
                          long decodeBudgetBytes,
                          int decodeMaxWaiting, int providerConnections) {

  static final Set<String> STORAGE_TYPES = Set.of(LocalImageStorage.TYPE, S3ImageStorage.TYPE);

  static GenerationSettings from(JsonObject config) {
    JsonObject db = config.getJsonObject("db", new JsonObject());
    int poolSize = positiveInt(db, "pool_size", 4);
    Path dataDir = Path.of(config.getString("data_dir", "./data")).toAbsolutePath().normalize();
    String base = config.getString("public_base_url", "");
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    long maxBytes = positiveLong(config, "max_upload_bytes", 20L * 1024 * 1024);
    long maxPixels = positiveLong(config, "max_pixels", 40_000_000L);
    int maxEdge = positiveInt(config, "max_edge", 2048);
    if (maxEdge < 64) {
      throw new IllegalArgumentException("generation.max_edge must be at least 64, got " + maxEdge);
    }
    int renderWorkers = positiveInt(config, "render_workers", 2);

    Map<String, String> providers = new LinkedHashMap<>();
    for (String api : ParameterSpace.APIS) {
      providers.put(api, LocalImageProvider.NAME);
    }
    JsonObject mapping = config.getJsonObject("providers", new JsonObject());
    for (String api : mapping.fieldNames()) {
      if (!ParameterSpace.APIS.contains(api)) {
        throw new IllegalArgumentException("generation.providers." + api + ": unknown api; known: " + ParameterSpace.APIS);
      }
      Object provider = mapping.getValue(api);
      if (!(provider instanceof String name) || !ProviderCatalogue.NAMES.contains(name)) {
        throw new IllegalArgumentException("generation.providers." + api + " must be one of " + ProviderCatalogue.NAMES
          + ", got " + provider);
      }
      providers.put(api, name);
    }
    JsonObject storage = config.getJsonObject("storage", new JsonObject());
    String storageType = storage.getString("type", LocalImageStorage.TYPE);
    if (!STORAGE_TYPES.contains(storageType)) {
      throw new IllegalArgumentException("generation.storage.type must be one of " + STORAGE_TYPES + ", got " + storageType);
    }
    List<ProviderCatalogue.Configured> external = ProviderCatalogue.configure(providers.values(), config);
    S3Settings s3 = S3ImageStorage.TYPE.equals(storageType)
      ? S3Settings.from(storage.getJsonObject("s3", new JsonObject())) : null;
    long decodeBudget = positiveLong(config, "decode_budget_bytes", 1024L * 1024 * 1024);
    int decodeMaxWaiting = positiveInt(config, "decode_max_waiting", 16);
    // Vert.x's own default (5). A call waits for a free connection, so with Replicate's synchronous mode, where a
    // render holds its connection until the image is done, this is also the instance's limit of renders at once.
    int providerConnections = positiveInt(config, "provider_connections", 5);
    return new GenerationSettings(db, poolSize, dataDir, base, maxBytes, maxPixels, maxEdge, renderWorkers,
      Map.copyOf(providers), storageType, external, s3, decodeBudget, decodeMaxWaiting, providerConnections);
  }

  Path imagesDir() {
    return dataDir.resolve("images");
  }

  /**
   * The stable URL of an image: served by the http verticle through GENERATION_IMAGE_READ. It carries the public
   * id, never the sequential numeric one, so URLs cannot be guessed.
   */
  String urlOf(String publicId) {
    return publicBaseUrl + "/images/" + publicId;
  }

  private static int positiveInt(JsonObject json, String key, int fallback) {
    long value = positiveLong(json, key, fallback);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("generation." + key + " is too large: " + value);
    }
    return (int) value;
  }

  private static long positiveLong(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
      throw new IllegalArgumentException("generation." + key + " must be a positive whole number, got " + value);
    }
    return n.longValue();
  }
}
