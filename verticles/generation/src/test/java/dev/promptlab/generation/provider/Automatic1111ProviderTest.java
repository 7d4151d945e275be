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
import dev.promptlab.generation.provider.ScriptedHttpServer.Recorded;
import dev.promptlab.generation.provider.ScriptedHttpServer.Reply;
import dev.promptlab.testkit.BlockedThreadGuard;
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
  private ScriptedHttpServer fake;

  @BeforeEach
  void setUp() {
    fixture = ProviderFixture.start(FakeApis::automatic1111, "a1111-test");
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
    assertArrayEquals(FakeApis.RESULT_JPEG, await(provider.generate(request())).getBytes());
    Recorded call = fake.requests("POST", "/sdapi/v1/img2img").get(0);
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
    Recorded call = fake.requests("POST", "/sdapi/v1/img2img").get(0);
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
    fake.once("POST", "/sdapi/v1/img2img", Reply.status(401));
    assertEquals(ProviderFailure.Kind.AUTH, providerFailure(provider.generate(request())).kind());
    fake.once("POST", "/sdapi/v1/img2img", Reply.json(500, new JsonObject().put("error", "OutOfMemoryError")));
    assertEquals(ProviderFailure.Kind.SERVER_ERROR, providerFailure(provider.generate(request())).kind());
    fake.once("POST", "/sdapi/v1/img2img", Reply.json(new JsonObject().put("images", new JsonArray())));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider.generate(request())).kind());
    fake.once("POST", "/sdapi/v1/img2img", Reply.json(new JsonObject().put("images", new JsonArray().add("%%%"))));
    assertEquals(ProviderFailure.Kind.BAD_RESPONSE, providerFailure(provider.generate(request())).kind());
    fake.once("POST", "/sdapi/v1/img2img", Reply.hang());
    assertEquals(ProviderFailure.Kind.TIMEOUT, providerFailure(provider(new JsonObject().put("total_timeout_ms", 500))
      .generate(request())).kind());
    assertEquals(5, fake.requests("POST", "/sdapi/v1/img2img").size(), "no render is ever requested twice");
  }
}
