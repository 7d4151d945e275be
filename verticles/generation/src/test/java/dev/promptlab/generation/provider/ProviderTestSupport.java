package dev.promptlab.generation.provider;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.PromptText;
import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Requests, settings and assertions shared by the provider contract tests. */
final class ProviderTestSupport {

  static final String LEONARDO_KEY = "leo-test-key-6d1f0a9b27";
  static final String REPLICATE_TOKEN = "r8_test_token_91c3e5d7aa";

  private ProviderTestSupport() {
  }

  /** A sideways (EXIF 6) JPEG render: providers must send it upright. */
  static ProviderRequest request() {
    byte[] original = TestImages.jpegWithOrientation(TestImages.interior(300, 200, false), 6, false);
    return new ProviderRequest(Buffer.buffer(original), "image/jpeg",
      new GenerationParameters("leonardo", 0.28, 7.6, 0.89),
      new PromptText("photorealistic interior, natural light", "cartoon, blurry"), 1234567890123L, "structure");
  }

  /** Short timings so that failure paths finish quickly. */
  static JsonObject fastResilience() {
    return new JsonObject()
      .put("request_timeout_ms", 1500)
      .put("total_timeout_ms", 6000)
      .put("poll_interval_ms", 50)
      .put("max_attempts", 3)
      .put("retry_base_delay_ms", 20)
      .put("retry_max_delay_ms", 200)
      .put("breaker_max_failures", 3)
      .put("breaker_reset_ms", 60_000);
  }

  static ProviderFailure providerFailure(Future<?> future) {
    return assertThrows(ProviderFailure.class, () -> Await.await(future));
  }
}
