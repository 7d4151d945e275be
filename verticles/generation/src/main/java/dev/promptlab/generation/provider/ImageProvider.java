package dev.promptlab.generation.provider;

import dev.promptlab.contract.GenerationParameters;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * One way of rendering an enhanced variant (in process, or an external image API). Implementations never
 * block the calling event loop; failures arrive as {@link ProviderFailure}, or as
 * {@link dev.promptlab.generation.image.ImageRejectedException} when the original itself cannot be used.
 */
public interface ImageProvider {

  /** The provider's name as published in events and stored in image metadata ({@code local}, {@code leonardo}, …). */
  String name();

  /**
   * The parameters as this provider applies them: each value at the precision the service accepts. What
   * {@link #generate} sends is exactly this, and this is what is recorded as the variant's parameters, so the
   * optimizer learns from what was rendered. Providers that take every value as it is return {@code requested}.
   */
  default GenerationParameters applied(GenerationParameters requested) {
    return requested;
  }

  /** The rendered image bytes (PNG or JPEG). */
  Future<Buffer> generate(ProviderRequest request);

  /** Releases HTTP clients and timers. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
