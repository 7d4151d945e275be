package dev.promptlab.generation.provider;

import static dev.promptlab.generation.provider.ProviderTestSupport.providerFailure;
import static dev.promptlab.generation.provider.ProviderTestSupport.request;
import static dev.promptlab.testkit.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.generation.image.TestImages;
import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.FakeImageApis.Received;
import dev.promptlab.testkit.FakeImageApis.Reply;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, BlockedThreadGuard.class})
class Automatic1111ProviderTest {

  private ProviderFixture fixture;
  private Vertx vertx;
  private FakeImageApis fake;

  @BeforeEach
  void setUp() {
    fixture = ProviderFixture.start("a1111-test");
    vertx = fixture.vertx;
    fake = fixture.fake;
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private Automatic1111Provider provider(JsonObject overrides) {
    JsonObject section = ProviderTestSupport.fastResilience().put("base_url", fake.url("")).mergeIn(overrides);
    return new Automatic1111Provider(vertx, fixture.client, fixture.workers, Automatic1111Settings.from(section));
  }

  @Test
  void sendsImg2imgWithAControlNetUnitAndDecodesTheAnswer() throws Exception {
    Automatic1111Provider provider = provider(new JsonObject().put("steps", 25)
      .put("controlnet", new JsonObject().put("model", "control_v11p_sd15_canny [d14c016b]")));
    assertArrayEquals(fake.automatic1111Result, await(provider.generate(request())).getBytes());
    Received call = fake.received(Step.AUTOMATIC1111_IMG2IMG).get(0);
    assertNull(call.headers().get("Authorization"));
    JsonObject body = call.json();
    assertEquals(0.28, body.getDouble("denoising_strength"));
    assertEquals(7.6, body.getDouble("cfg_scale"));
    assertEquals(request().parameters(), provider.applied(request().parameters()), "cfg_scale is sent as it is");
    assertEquals(25, body.getInteger("steps"));
    assertEquals("cartoon, blurry", body.getString("negative_prompt"));
    assertEquals(200, body.getInteger("width"));
    assertEquals(296, body.getInteger("height"));
    String init = body.getJsonArray("init_images").getString(0);
    assertEquals(200, TestImages.decode(Base64.getDecoder().decode(init)).getWidth());
    JsonObject unit = body.getJsonObject("alwayson_scripts").getJsonObject("controlnet").getJsonArray("args").getJsonObject(0);
    assertEquals(0.89, unit.getDouble("weight"));
    assertEquals("canny", unit.getString("module"));
    assertEquals("control_v11p_sd15_canny [d14c016b]", unit.getString("model"));
    assertEquals(init, unit.getString("image"));
  }

  @Test
  void withoutAControlNetModelNoUnitIsSentAndBasicAuthComesFromTheSlice() throws Exception {
    Automatic1111Provider provider = provider(new JsonObject().put("api_auth", "lab:pw-91x"));
    await(provider.generate(request()));
    Received call = fake.received(Step.AUTOMATIC1111_IMG2IMG).get(0);
    assertFalse(call.json().containsKey("alwayson_scripts"));
    assertEquals("Basic " + Base64.getEncoder().encodeToString("lab:pw-91x".getBytes(StandardCharsets.UTF_8)),
      call.headers().get("Authorization"));
    assertThrows(IllegalArgumentException.class,
      () -> Automatic1111Settings.from(new JsonObject().put("api_auth", "no-colon")));
    assertFalse(Automatic1111Settings.from(new JsonObject().put("api_auth", "lab:pw-91x"))
      .toString().contains("pw-91x"));
  }

  @Test
  void failuresAreClassified() {
    Automatic1111Provider provider = provider(new JsonObject());
    fake.next(Step.AUTOMATIC1111_IMG2IMG, Reply.status(401));
    assertEquals(ProviderFailure.Kind.AUTH, providerFailure(provider.generate(request())).kind());
    fake.next(Step.AUTOMATIC1111_IMG2IMG, Reply.json(500, new JsonObject().put("error", "OutOfMemoryError")));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, providerFailure(provider.generate(request())).kind());
    fake.next(Step.AUTOMATIC1111_IMG2IMG, Reply.json(new JsonObject().put("images", new JsonArray())));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider.generate(request())).kind());
    fake.next(Step.AUTOMATIC1111_IMG2IMG, Reply.json(new JsonObject().put("images", new JsonArray().add("%%%"))));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider.generate(request())).kind());
    fake.next(Step.AUTOMATIC1111_IMG2IMG, Reply.hang());
    assertEquals(ProviderFailure.Kind.TIMEOUT, providerFailure(provider(new JsonObject().put("total_timeout_ms", 500))
      .generate(request())).kind());
    assertEquals(5, fake.received(Step.AUTOMATIC1111_IMG2IMG).size(), "no render is ever requested twice");
  }
}
