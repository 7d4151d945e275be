package dev.promptlab.generation.storage;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An S3-compatible server (s3proxy, in memory) for tests, with signature checking on, running for the
 * test class that registers it: {@code @RegisterExtension static final S3TestServer s3 = new S3TestServer();}.
 * The AWS default credentials chain of the code under test finds the test credentials in system properties.
 */
public final class S3TestServer implements BeforeAllCallback, AfterAllCallback {

  public static final String ACCESS_KEY = "promptlab-test-access";
  public static final String SECRET_KEY = "promptlab-test-secret-0b7e";
  public static final String ORIGINALS_BUCKET = "lab-originals";
  public static final String ENHANCED_BUCKET = "lab-enhanced";

  private S3Proxy proxy;
  private BlobStore blobs;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    blobs = new TransientNio2BlobStore();
    blobs.createContainer(ORIGINALS_BUCKET);
    blobs.createContainer(ENHANCED_BUCKET);
    proxy = S3Proxy.builder()
      .blobStore(blobs)
      .endpoint(URI.create("http://127.0.0.1:0"))
      .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
      .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(10);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** The {@code storage.s3} config section pointing at this server. */
  public JsonObject settings() {
    return new JsonObject()
      .put("region", "us-east-1")
      .put("endpoint", endpoint())
      .put("path_style", true)
      .put("timeout_ms", 5000)
      .put("originals", new JsonObject().put("bucket", ORIGINALS_BUCKET).put("prefix", "renders/originals"))
      .put("enhanced", new JsonObject().put("bucket", ENHANCED_BUCKET).put("prefix", "renders/enhanced/"));
  }

  public int objectCount(String bucket) {
    return blobs.list(bucket).contents().size();
  }

  public boolean exists(String bucket, String key) {
    return blobs.blobExists(bucket, key);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    proxy.stop();
  }
}
