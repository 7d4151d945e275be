package dev.promptlab.generation.provider;

import static dev.promptlab.generation.provider.ProviderTestSupport.LEONARDO_KEY;
import static dev.promptlab.generation.provider.ProviderTestSupport.REPLICATE_TOKEN;
import static dev.promptlab.testkit.Await.await;

import dev.promptlab.generation.WebClientWarmUp;
import dev.promptlab.testkit.FakeImageApis;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.client.WebClient;

/**
 * What a provider test starts from: a Vert.x with the tight blocked-thread check, the fake image services
 * answering the test keys, and the web client and worker pool a provider is built with.
 */
final class ProviderFixture implements AutoCloseable {

  final Vertx vertx;
  final FakeImageApis fake;
  final WebClient client;
  final WorkerExecutor workers;

  private ProviderFixture(Vertx vertx, FakeImageApis fake, String workersName) {
    this.vertx = vertx;
    this.fake = fake;
    this.client = WebClient.create(vertx);
    this.workers = vertx.createSharedWorkerExecutor(workersName, 2);
  }

  static ProviderFixture start(String workersName) {
    WebClientWarmUp.once();
    Vertx vertx = TestVertx.create();
    return new ProviderFixture(vertx, await(FakeImageApis.start(vertx, LEONARDO_KEY, REPLICATE_TOKEN)), workersName);
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
