package dev.promptlab.generation.provider;

import static dev.promptlab.generation.provider.FakeApis.LEONARDO_ROOT;
import static dev.promptlab.generation.provider.ProviderTestSupport.LEONARDO_KEY;
import static dev.promptlab.generation.provider.ProviderTestSupport.providerFailure;
import static dev.promptlab.generation.provider.ProviderTestSupport.request;
import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.contract.FailureCodes;
import dev.promptlab.generation.image.ImageRejectedException;
import dev.promptlab.generation.provider.ScriptedHttpServer.Reply;
import dev.promptlab.testkit.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class CircuitBreakingProviderTest {

  private ProviderFixture fixture;
  private Vertx vertx;
  private ScriptedHttpServer fake;
  private CircuitBreakingProvider provider;

  @BeforeEach
  void setUp() {
    fixture = ProviderFixture.start(FakeApis::leonardo, "breaker-test");
    vertx = fixture.vertx;
    fake = fixture.fake;
    JsonObject section = ProviderTestSupport.fastResilience().put("base_url", fake.url(LEONARDO_ROOT))
      .put("api_key", LEONARDO_KEY).put("max_attempts", 1);
    LeonardoProvider leonardo = new LeonardoProvider(vertx, fixture.client, fixture.workers,
      LeonardoSettings.from(section, Map.of()));
    provider = new CircuitBreakingProvider(vertx, leonardo, 3, 400);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  @Test
  void opensAfterRepeatedFailuresRefusesWithoutCallingAndRecoversAfterTheReset() throws Exception {
    fake.once("POST", LEONARDO_ROOT + "/init-image", Reply.status(500), Reply.status(500), Reply.status(500));
    for (int i = 0; i < 3; i++) {
      assertEquals(ProviderFailure.Kind.SERVER_ERROR, providerFailure(provider.generate(request())).kind());
    }
    ProviderFailure open = providerFailure(provider.generate(request()));
    assertEquals(ProviderFailure.Kind.CIRCUIT_OPEN, open.kind());
    assertEquals(FailureCodes.PROVIDER_UNAVAILABLE, open.failureCode());
    assertEquals(3, fake.requests("POST", LEONARDO_ROOT + "/init-image").size(), "an open circuit sends nothing");

    Thread.sleep(600);
    Buffer image = await(provider.generate(request()));
    assertArrayEquals(FakeApis.RESULT_JPEG, image.getBytes());
    await(provider.generate(request()));
    assertEquals(5, fake.requests("POST", LEONARDO_ROOT + "/init-image").size(), "closed again after a good probe");
  }

  @Test
  void aBadOriginalIsNotTheProvidersFault() throws Exception {
    ProviderRequest broken = new ProviderRequest(Buffer.buffer("not an image"), "image/png",
      request().parameters(), request().prompt(), 1, "structure");
    for (int i = 0; i < 5; i++) {
      assertThrows(ImageRejectedException.class, () -> await(provider.generate(broken)));
    }
    assertArrayEquals(FakeApis.RESULT_JPEG, await(provider.generate(request())).getBytes());
  }
}
