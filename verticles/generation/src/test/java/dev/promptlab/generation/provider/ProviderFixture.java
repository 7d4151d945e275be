package dev.promptlab.generation.provider;

import static dev.promptlab.testkit.Await.await;

import dev.promptlab.generation.WebClientWarmUp;
import dev.promptlab.testkit.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.client.WebClient;
import java.util.function.UnaryOperator;

/**
 * What a provider test starts from: a Vert.x with the tight blocked-thread check, a fake API scripted
 * with its happy path, and the web client and worker pool a provider is built with.
 */
final class ProviderFixture implements AutoCloseable {

  final Vertx vertx;
  final ScriptedHttpServer fake;
  final WebClient client;
  final WorkerExecutor workers;

  private ProviderFixture(Vertx vertx, ScriptedHttpServer fake, String workersName) {
    this.vertx = vertx;
    this.fake = fake;
    this.client = WebClient.create(vertx);
    this.workers = vertx.createSharedWorkerExecutor(workersName, 2);
  }

  /** {@code api} scripts the fake, e.g. {@code FakeApis::leonardo}. */
  static ProviderFixture start(UnaryOperator<ScriptedHttpServer> api, String workersName) {
    WebClientWarmUp.once();
    Vertx vertx = TestVertx.create();
    return new ProviderFixture(vertx, api.apply(await(ScriptedHttpServer.start(vertx))), workersName);
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
