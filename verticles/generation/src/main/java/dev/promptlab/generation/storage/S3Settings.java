package dev.promptlab.generation.storage;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code generation.storage.s3} config section. Credentials are not configured here: the AWS default
 * chain finds them (environment {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profile, container
 * or instance role).
 *
 * @param region        AWS region (default {@code us-east-1})
 * @param endpoint      endpoint override for S3-compatible stores (MinIO, s3proxy…), or null
 * @param pathStyle     path-style addressing ({@code http://host/bucket/key}), usual for S3-compatible stores
 * @param originals     bucket and key prefix of uploaded originals
 * @param enhanced      bucket and key prefix of rendered variants
 * @param timeoutMs     limit of one S3 call including the SDK's own retries
 */
public record S3Settings(String region, URI endpoint, boolean pathStyle, Place originals, Place enhanced,
                         long timeoutMs) {

  /** A bucket and the key prefix inside it ("" or ending in "/"). */
  public record Place(String bucket, String prefix) {
  }

  public static S3Settings from(JsonObject s3) {
    String region = s3.getString("region", "us-east-1");
    URI endpoint = null;
    String endpointText = s3.getString("endpoint");
    if (endpointText != null && !endpointText.isBlank()) {
      try {
        endpoint = new URI(endpointText.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("generation.storage.s3.endpoint is not a URI: " + endpointText);
      }
      if (endpoint.getScheme() == null || endpoint.getHost() == null) {
        throw new IllegalArgumentException("generation.storage.s3.endpoint needs a scheme and host: " + endpointText);
      }
    }
    String defaultBucket = s3.getString("bucket");
    Place originals = place(s3, "originals", defaultBucket);
    Place enhanced = place(s3, "enhanced", defaultBucket);
    Object timeout = s3.getValue("timeout_ms", 30_000);
    if (!(timeout instanceof Number n) || n.longValue() <= 0) {
      throw new IllegalArgumentException("generation.storage.s3.timeout_ms must be a positive number");
    }
    return new S3Settings(region, endpoint, s3.getBoolean("path_style", endpoint != null), originals, enhanced,
      ((Number) timeout).longValue());
  }

  private static Place place(JsonObject s3, String kind, String defaultBucket) {
    JsonObject section = s3.getJsonObject(kind, new JsonObject());
    String bucket = section.getString("bucket", defaultBucket);
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("generation.storage.s3." + kind + ".bucket (or s3.bucket) must be a valid "
        + "bucket name, got " + bucket);
    }
    String prefix = section.getString("prefix", kind + "/").trim();
    while (prefix.startsWith("/")) {
      prefix = prefix.substring(1);
    }
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix = prefix + "/";
    }
    if (!prefix.isEmpty() && !StorageKeys.isValid(prefix.substring(0, prefix.length() - 1))) {
      throw new IllegalArgumentException("generation.storage.s3." + kind + ".prefix must use a-z 0-9 / . _ - only, got "
        + prefix);
    }
    return new Place(bucket, prefix);
  }

  public Place placeOf(ImageKind kind) {
    return kind == ImageKind.ORIGINAL ? originals : enhanced;
  }
}
