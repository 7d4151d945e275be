package dev.promptlab.testkit;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server (s3proxy over an in-memory blob store) with AWS signature checking, and an
 * independent S3 client on the test's side to see what the server stored: the one S3 of every module's tests.
 * The code under test finds the credentials where the AWS default chain looks first: the {@code aws.accessKeyId} /
 * {@code aws.secretAccessKey} system properties of this JVM (a separate process: {@link #credentialsEnvironment()}).
 * Needs s3proxy and the AWS SDK's S3 client on the test class path (optional dependencies of the testkit).
 */
public final class S3TestServer implements AutoCloseable {

  public static final String ACCESS_KEY = "promptlab-e2e-access";
  public static final String SECRET_KEY = "promptlab-e2e-secret-7c1f9a2e4b";
  public static final String ORIGINALS_BUCKET = "lab-uploads";
  public static final String ENHANCED_BUCKET = "lab-variants";
  /** The key prefixes of the stored objects; {@link #settings()} gives the originals' without its slash. */
  public static final String ORIGINALS_PREFIX = "renders/originals/";
  public static final String ENHANCED_PREFIX = "renders/enhanced/";

  private final S3Proxy proxy;
  private final BlobStore blobs;
  private final S3Client client;
  private boolean serving = true;

  private S3TestServer(S3Proxy proxy, BlobStore blobs, S3Client client) {
    this.proxy = proxy;
    this.blobs = blobs;
    this.client = client;
  }

  public static S3TestServer start() throws Exception {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    BlobStore blobs = new TransientNio2BlobStore();
    blobs.createContainer(ORIGINALS_BUCKET);
    blobs.createContainer(ENHANCED_BUCKET);
    S3Proxy proxy = S3Proxy.builder()
      .blobStore(blobs)
      .endpoint(URI.create("http://127.0.0.1:0"))
      .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
      .build();
    proxy.start();
    Eventually.until("s3proxy has started", () -> "STARTED".equals(proxy.getState()));
    S3Client client = S3Client.builder()
      .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
      .forcePathStyle(true)
      .region(Region.US_EAST_1)
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
      .build();
    return new S3TestServer(proxy, blobs, client);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /**
   * The {@code generation.storage.s3} section pointing here, as an operator writes it (the originals' prefix
   * without its trailing slash, which the storage adds).
   */
  public JsonObject settings() {
    return new JsonObject()
      .put("region", "us-east-1")
      .put("endpoint", endpoint())
      .put("path_style", true)
      .put("timeout_ms", 5000)
      .put("originals", new JsonObject().put("bucket", ORIGINALS_BUCKET)
        .put("prefix", ORIGINALS_PREFIX.substring(0, ORIGINALS_PREFIX.length() - 1)))
      .put("enhanced", new JsonObject().put("bucket", ENHANCED_BUCKET).put("prefix", ENHANCED_PREFIX));
  }

  /** The environment that points a whole server's image storage here. */
  public Map<String, String> environment() {
    return Map.of("PROMPTLAB__GENERATION__STORAGE__TYPE", "s3", "PROMPTLAB__GENERATION__STORAGE__S3",
      settings().encode());
  }

  /** The credentials as a separate server process reads them: the AWS SDK's standard environment variables. */
  public Map<String, String> credentialsEnvironment() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
  }

  /** Every key in the bucket, read over S3. */
  public List<String> keys(String bucket) {
    return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
  }

  public byte[] read(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  public String contentType(String bucket, String key) {
    return client.headObject(b -> b.bucket(bucket).key(key)).contentType();
  }

  /** How many objects the bucket holds, read from the store itself. */
  public int objectCount(String bucket) {
    return blobs.list(bucket).contents().size();
  }

  public boolean exists(String bucket, String key) {
    return blobs.blobExists(bucket, key);
  }

  /** Takes S3 away (the endpoint then refuses connections); there is no way back for this instance. */
  public synchronized void stopServing() throws Exception {
    if (serving) {
      serving = false;
      proxy.stop();
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
    stopServing();
  }

  /**
   * One server for a whole test class: {@code @RegisterExtension static final S3TestServer.PerClass s3 = new
   * S3TestServer.PerClass();}, then {@code s3.server()}.
   */
  public static final class PerClass implements BeforeAllCallback, AfterAllCallback {

    private S3TestServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      server = start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
      server.close();
    }

    public S3TestServer server() {
      return server;
    }
  }
}
