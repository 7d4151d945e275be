package dev.promptlab.generation.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Images in S3 (or an S3-compatible store) through the AWS SDK v2 asynchronous client. Calls are started on
 * a worker thread — the SDK may resolve credentials or regions synchronously the first time — and their
 * completion comes back on the verticle's context. S3 writes are atomic by nature.
 */
public final class S3ImageStorage implements ImageStorage {

  public static final String TYPE = "s3";

  private final Vertx vertx;
  private final S3AsyncClient client;
  private final S3Settings settings;

  private S3ImageStorage(Vertx vertx, S3AsyncClient client, S3Settings settings) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
  }

  /**
   * Builds the client on a worker and resolves the credentials once, so that missing credentials fail the
   * deployment with a clear sentence instead of the first upload.
   */
  public static Future<S3ImageStorage> create(Vertx vertx, S3Settings settings) {
    return vertx.executeBlocking(() -> {
      DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
      try {
        credentials.resolveCredentials();
      } catch (SdkException e) {
        throw new IllegalStateException("S3 storage is configured but no AWS credentials were found "
          + "(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role)");
      }
      S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle())
        .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMillis(settings.timeoutMs())));
      if (settings.endpoint() != null) {
        // S3-compatible stores often lack the newer default checksums.
        builder.endpointOverride(settings.endpoint())
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      }
      return new S3ImageStorage(vertx, builder.build(), settings);
    }, false);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Future<StorageLocation> put(ImageKind kind, String name, Buffer data, String contentType) {
    S3Settings.Place place = settings.placeOf(kind);
    String key = place.prefix() + name;
    if (!StorageKeys.isValid(key)) {
      return Future.failedFuture(new StorageException("not a valid storage key: " + key, false, null));
    }
    PutObjectRequest request = PutObjectRequest.builder().bucket(place.bucket()).key(key).contentType(contentType)
      .contentLength((long) data.length()).build();
    byte[] bytes = data.getBytes();
    return call("writing", place.bucket(), key, () -> client.putObject(request, AsyncRequestBody.fromBytes(bytes)))
      .map(response -> new StorageLocation(TYPE, place.bucket(), key));
  }

  @Override
  public Future<Buffer> get(StorageLocation location) {
    if (!TYPE.equals(location.storage()) || !StorageKeys.isValid(location.key())) {
      return Future.failedFuture(new StorageException("not an S3 object of this storage: " + location.key(), false, null));
    }
    GetObjectRequest request = GetObjectRequest.builder().bucket(location.bucket()).key(location.key()).build();
    return call("reading", location.bucket(), location.key(),
      () -> client.getObject(request, AsyncResponseTransformer.toBytes()))
      .map(bytes -> Buffer.buffer(bytes.asByteArrayUnsafe()));
  }

  @Override
  public Future<Void> delete(StorageLocation location) {
    if (!TYPE.equals(location.storage()) || !StorageKeys.isValid(location.key())) {
      return Future.failedFuture(new StorageException("not an S3 object of this storage: " + location.key(), false, null));
    }
    DeleteObjectRequest request = DeleteObjectRequest.builder().bucket(location.bucket()).key(location.key()).build();
    return call("removing", location.bucket(), location.key(), () -> client.deleteObject(request)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      client.close();
      return null;
    }, false);
  }

  private <T> Future<T> call(String what, String bucket, String key, Supplier<CompletableFuture<T>> operation) {
    Context context = vertx.getOrCreateContext();
    return vertx.executeBlocking(operation::get, false)
      .compose(started -> Future.fromCompletionStage(started, context))
      .recover(failure -> {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        boolean missing = cause instanceof NoSuchKeyException
          || (cause instanceof S3Exception s3 && s3.statusCode() == 404);
        return Future.failedFuture(new StorageException(
          what + " s3://" + bucket + "/" + key + " failed: " + cause.getClass().getSimpleName(), missing, cause));
      });
  }
}
