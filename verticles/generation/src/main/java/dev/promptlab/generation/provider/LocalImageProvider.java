package dev.promptlab.generation.provider;

import dev.promptlab.generation.image.EnhancementParameters;
import dev.promptlab.generation.image.LocalEnhancer;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;

/**
 * The default provider: {@link LocalEnhancer} on a bounded worker pool, so renders never run on an event
 * loop and at most {@code poolSize} large rasters are in memory at once.
 */
public final class LocalImageProvider implements ImageProvider {

  public static final String NAME = "local";

  private final LocalEnhancer enhancer;
  private final WorkerExecutor workers;

  public LocalImageProvider(LocalEnhancer enhancer, WorkerExecutor workers) {
    this.enhancer = enhancer;
    this.workers = workers;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Buffer> generate(ProviderRequest request) {
    EnhancementParameters parameters = new EnhancementParameters(request.parameters().strength(),
      request.parameters().guidanceScale(), request.parameters().controlWeight(), request.seed(),
      request.prompt().prompt(), request.prompt().negativePrompt());
    return workers.executeBlocking(
      () -> Buffer.buffer(enhancer.render(request.original().getBytes(), parameters).bytes()), false);
  }
}
