package dev.promptlab.launcher;

import static dev.promptlab.launcher.RunningServer.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.BlockedThreadGuard;
import dev.promptlab.testkit.Eventually;
import dev.promptlab.testkit.FakeImageApis.Received;
import dev.promptlab.testkit.FakeImageApis.Reply;
import dev.promptlab.testkit.FakeImageApis.Step;
import dev.promptlab.testkit.FakeImageApis;
import dev.promptlab.testkit.SampleImages;
import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole server configured for the real image services — {@code leonardo} options rendered by Leonardo,
 * {@code stablediffusion} options by Replicate — both played by {@link FakeImageApis} speaking their wire formats.
 * Each case goes through HTTP as a trainer's client does and checks what the trainer gets (JSON, page, image
 * bytes, retry) and what the database holds afterwards (experiment, options, image rows, files).
 *
 * <p>Which option uses which service is the optimizer's choice. Its initial design (kept on for the whole
 * class with {@code initial_design: 40}) hands the two options of one experiment the two halves of the Sobol
 * sequence's first coordinate, i.e. one option per API; {@link #optionFor} asserts it, then each case
 * reads {@code parameters.api} to know which fake served which option.
 */
@ExtendWith(BlockedThreadGuard.class)
class ExternalProvidersOverHttpTest {

  private static final String LEONARDO_KEY = "leo-e2e-key-9f4c2a7d1b3e5f60aa";
  private static final String REPLICATE_TOKEN = "r8_e2e_token_4b7d9e1f2a3c5d6e7f";
  private static final Pattern IMG_SRC = Pattern.compile("<img src=\"(/images/([A-Za-z0-9_-]{22}))\"");

  private static FakeImageApis fake;
  private static RunningServer server;

  /** One row of experiment_options. */
  private record OptionRow(String option, String api, String provider, String status, Long imageId, String error,
                           long seed, double strength, double guidanceScale, double controlWeight) {
  }

  @BeforeAll
  static void start() throws Exception {
    TestDatabase.reset();
    fake = FakeImageApis.open(LEONARDO_KEY, REPLICATE_TOKEN);
    Map<String, String> environment = new HashMap<>(fake.serverEnvironment());
    environment.put("PROMPTLAB__OPTIMIZER__INITIAL_DESIGN", "40");
    // These tests put one option on each service (the initial design's pairs); prompt evolution is not their subject,
    // and its A/B test renders both arms on one service at one point.
    environment.put("PROMPTLAB__EVOLUTION__TRIGGERS__EVERY_SAMPLES", "100000");
    environment.put("PROMPTLAB__EVOLUTION__TRIGGERS__LOW_PERFORMANCE_AFTER", "100000");
    environment.put("PROMPTLAB__EVOLUTION__TRIGGERS__PLATEAU_SAMPLES", "100000");
    server = RunningServer.startOnTestDatabase(environment);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      server.close();
    } finally {
      fake.close();
    }
  }

  @Test
  void eachServiceRendersItsOptionAndTheLoopRunsOnTheResults() throws Exception {
    int mark = fake.received().size();
    JsonObject experiment = uploadOk(SampleImages.jpeg(640, 480), "structure");
    JsonObject leonardo = optionFor(experiment, "leonardo");
    JsonObject replicate = optionFor(experiment, "stablediffusion");
    assertEquals("ready", leonardo.getString("status"));
    assertEquals("ready", replicate.getString("status"));
    assertArrayEquals(fake.leonardoResult, imageBytes(leonardo.getString("url")), "Leonardo's image is served");
    assertArrayEquals(fake.replicateResult, imageBytes(replicate.getString("url")), "Replicate's image is served");

    List<Received> calls = fake.receivedSince(mark);
    // Each option carries its own prompt version (an A/B test may give the two options different ones).
    JsonObject leonardoPrompt = promptDocument(leonardo.getString("prompt_version")).getJsonObject("leonardo");
    JsonObject replicatePrompt = promptDocument(replicate.getString("prompt_version")).getJsonObject("stablediffusion");
    Map<String, OptionRow> rows = optionRows(experiment.getString("experiment_id"));

    // Leonardo: init image upload (presigned, without our key), generation with the option's parameters, polling.
    Received upload = only(calls, Step.PRESIGNED_UPLOAD);
    assertNull(upload.authorization(), "the presigned storage URL never sees the Leonardo key");
    assertNotNull(upload.headers().get("Content-Length"), "S3 refuses a presigned POST without a Content-Length");
    BufferedImage init = ImageIO.read(new ByteArrayInputStream(upload.files().get("file").getBytes()));
    assertNotNull(init, "the init image is an image");
    assertEquals(0, init.getWidth() % 8, "Leonardo wants sides in multiples of 8");
    JsonObject generation = only(calls, Step.LEONARDO_GENERATIONS).json();
    JsonObject seedParameters = leonardo.getJsonObject("parameters");
    assertEquals(seedParameters.getDouble("init_strength"), generation.getDouble("init_strength"), 0.0006);
    assertEquals(Integer.class, generation.getValue("guidance_scale").getClass(),
      "Leonardo takes a whole guidance scale");
    assertEquals(seedParameters.getDouble("controlnet_weight"),
      generation.getJsonArray("controlnets").getJsonObject(0).getDouble("weight"), 0.0006);
    assertEquals(leonardoPrompt.getString("prompt"), generation.getString("prompt"));
    assertEquals(leonardoPrompt.getString("negative_prompt"), generation.getString("negative_prompt"));
    assertEquals(rows.get(leonardo.getString("option")).seed() & 0x7FFFFFFFL, (long) generation.getLong("seed"),
      "the option's stored seed is the one sent");
    assertTrue(count(calls, Step.LEONARDO_STATUS) >= 2, "PENDING was polled until COMPLETE");
    assertTrue(calls.stream().filter(c -> c.step().leonardoApi())
      .allMatch(c -> ("Bearer " + LEONARDO_KEY).equals(c.authorization())));
    assertNull(only(calls, Step.LEONARDO_CDN).authorization(), "the CDN download carries no key");

    // Replicate: one prediction with the option's parameters and the render inline, polled until it succeeded.
    Received prediction = only(calls, Step.REPLICATE_PREDICTIONS);
    assertEquals("wait=1", prediction.headers().get("Prefer"));
    JsonObject input = prediction.json().getJsonObject("input");
    JsonObject sdParameters = replicate.getJsonObject("parameters");
    assertEquals(sdParameters.getDouble("strength"), input.getDouble("strength"), 0.0006);
    assertEquals(sdParameters.getDouble("guidance_scale"), input.getDouble("guidance_scale"), 0.006);
    assertEquals(sdParameters.getDouble("controlnet_conditioning_scale"),
      input.getDouble("controlnet_conditioning_scale"), 0.0006);
    assertEquals(replicatePrompt.getString("prompt"), input.getString("prompt"));
    assertEquals(replicatePrompt.getString("negative_prompt"), input.getString("negative_prompt"));
    String image = input.getString("image");
    byte[] inline = Base64.getDecoder().decode(image.substring(image.indexOf(',') + 1));
    assertNotNull(ImageIO.read(new ByteArrayInputStream(inline)), "the render travels inline as a data URI");
    assertTrue(count(calls, Step.REPLICATE_STATUS) >= 2, "starting → processing → succeeded was polled");
    assertTrue(calls.stream().filter(c -> c.step().replicateApi())
      .allMatch(c -> ("Bearer " + REPLICATE_TOKEN).equals(c.authorization())));
    assertNull(only(calls, Step.REPLICATE_DELIVERY).authorization(), "the delivery download carries no key");

    // The database: the experiment, two ready options naming their provider, each image row used once.
    assertEquals("leonardo", rows.get(leonardo.getString("option")).provider());
    assertEquals("replicate", rows.get(replicate.getString("option")).provider());
    for (OptionRow row : rows.values()) {
      assertEquals("ready", row.status());
      assertNotNull(row.imageId());
      assertNull(row.error());
    }
    assertEquals(2, variantsOf(experiment));
    assertNoOrphans();

    HttpResponse<Buffer> rated = TrainingLoopTest.rate(server, TrainingLoopTest.ratingBody(experiment, 4, 3));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM ratings r JOIN experiment_options o ON o.id = r.option_id"
      + " WHERE o.experiment_id = '" + experiment.getString("experiment_id") + "'"));

    // The optimizer learns from what was rendered: Leonardo's observation has the whole guidance it received.
    int sentGuidance = generation.getInteger("guidance_scale");
    assertEquals(sentGuidance, rows.get(leonardo.getString("option")).guidanceScale());
    assertEquals((double) sentGuidance, leonardo.getJsonObject("parameters").getDouble("guidance_scale"),
      "the trainer is shown what was rendered");
    assertEquals(List.of((double) sentGuidance), observedGuidance(experiment, "leonardo"));
    assertEquals(List.of(input.getDouble("guidance_scale")), observedGuidance(experiment, "stablediffusion"),
      "Replicate takes the guidance as it is");
  }

  /** The guidance scale of the optimizer observations recorded for the experiment's option of {@code api}. */
  private static List<Double> observedGuidance(JsonObject experiment, String api) throws Exception {
    List<Double> values = new ArrayList<>();
    try (Connection c = TestDatabase.connect();
         PreparedStatement s = c.prepareStatement("SELECT ob.guidance_scale FROM optimizer_observations ob"
           + " JOIN ratings r ON r.id = ob.rating_id JOIN experiment_options o ON o.id = r.option_id"
           + " WHERE o.experiment_id = ? AND ob.api = ?")) {
      s.setString(1, experiment.getString("experiment_id"));
      s.setString(2, api);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getDouble(1));
        }
      }
    }
    return values;
  }

  /** One way a service can go wrong: the answers it gives at one step, the failure kind and what the trainer reads. */
  enum Fault {
    LEONARDO_SERVER_ERROR("leonardo", Step.LEONARDO_INIT_IMAGE, "server_error", "init-image answered HTTP 500",
      f -> new Reply[] {Reply.json(500, new JsonObject().put("error", "Internal Server Error"))}),
    LEONARDO_KEY_REFUSED("leonardo", Step.LEONARDO_INIT_IMAGE, "auth", "API key was refused",
      f -> new Reply[] {Reply.json(401, new JsonObject().put("error", "Invalid authentication credentials")
        .put("path", "$").put("code", "invalid-jwt"))}),
    LEONARDO_MALFORMED_JSON("leonardo", Step.LEONARDO_GENERATIONS, "bad_response", "not a JSON object",
      f -> new Reply[] {Reply.brokenJson(200, "{\"sdGenerationJob\": {\"generationId\": \"gen-")}),
    // A service that never answers: the request timeout fires however slow the machine is.
    LEONARDO_TOO_SLOW("leonardo", Step.LEONARDO_INIT_IMAGE, "timeout", "did not answer in time",
      f -> new Reply[] {Reply.hang()}),
    REPLICATE_SERVER_ERROR("stablediffusion", Step.REPLICATE_PREDICTIONS, "server_error",
      "predictions answered HTTP 500",
      f -> new Reply[] {Reply.json(500, new JsonObject().put("title", "Internal Server Error").put("status", 500))}),
    REPLICATE_KEY_REFUSED("stablediffusion", Step.REPLICATE_PREDICTIONS, "auth", "API key was refused",
      f -> new Reply[] {Reply.json(401, new JsonObject().put("title", "Unauthenticated")
        .put("detail", "You did not pass a valid authentication token").put("status", 401))}),
    REPLICATE_MALFORMED_JSON("stablediffusion", Step.REPLICATE_PREDICTIONS, "bad_response", "not a JSON object",
      f -> new Reply[] {Reply.brokenJson(201, "{\"id\": \"p7\", \"status\": \"star")}),
    // Status polls are safe to repeat: each of the allowed attempts times out, then the prediction is cancelled.
    REPLICATE_POLLS_TOO_SLOW("stablediffusion", Step.REPLICATE_STATUS, "timeout", "did not answer in time",
      f -> new Reply[] {Reply.hang(), Reply.hang(), Reply.hang()});

    final String api;
    final Step step;
    final String kind;
    final String message;
    final Function<FakeImageApis, Reply[]> replies;

    Fault(String api, Step step, String kind, String message, Function<FakeImageApis, Reply[]> replies) {
      this.api = api;
      this.step = step;
      this.kind = kind;
      this.message = message;
      this.replies = replies;
    }

    String provider() {
      return "leonardo".equals(api) ? "leonardo" : "replicate";
    }

    String otherApi() {
      return "leonardo".equals(api) ? "stablediffusion" : "leonardo";
    }

    byte[] result(FakeImageApis fake) {
      return "leonardo".equals(api) ? fake.leonardoResult : fake.replicateResult;
    }

    byte[] otherResult(FakeImageApis fake) {
      return "leonardo".equals(api) ? fake.replicateResult : fake.leonardoResult;
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aFailingServiceCostsOnlyItsOptionWhichCanBeRetried(Fault fault) throws Exception {
    int mark = fake.received().size();
    fake.next(fault.step, fault.replies.apply(fake));
    JsonObject experiment = uploadOk(SampleImages.jpeg(480, 360), "surfaces");
    JsonObject failed = optionFor(experiment, fault.api);
    JsonObject served = optionFor(experiment, fault.otherApi());

    assertEquals("failed", failed.getString("status"), failed.encode());
    assertNull(failed.getValue("url"));
    assertNull(failed.getValue("image_id"));
    JsonObject error = failed.getJsonObject("error");
    assertEquals("provider_failed", error.getString("code"));
    String message = error.getString("message");
    assertTrue(message.startsWith(fault.provider()) && message.contains(fault.message),
      "the trainer is told what went wrong: " + message);
    assertEquals("ready", served.getString("status"));
    assertArrayEquals(fault.otherResult(fake), imageBytes(served.getString("url")),
      "the other service's image is served");
    List<Received> calls = fake.receivedSince(mark);
    if (fault.step == Step.LEONARDO_INIT_IMAGE) {
      assertEquals(0, count(calls, Step.LEONARDO_GENERATIONS), "no paid job was started after the failed step");
    }
    if (fault == Fault.REPLICATE_POLLS_TOO_SLOW) {
      List<Received> polls = calls.stream().filter(c -> c.step() == Step.REPLICATE_STATUS).toList();
      assertEquals(3, polls.size(), "each allowed status poll was tried");
      assertEquals(polls.get(0).path() + "/cancel", only(calls, Step.REPLICATE_CANCEL).path(),
        "the prediction we stopped waiting for is cancelled");
    }

    Map<String, OptionRow> rows = optionRows(experiment.getString("experiment_id"));
    OptionRow failedRow = rows.get(failed.getString("option"));
    assertEquals("failed", failedRow.status());
    assertNull(failedRow.imageId());
    assertEquals(message, failedRow.error());
    assertEquals("ready", rows.get(served.getString("option")).status());
    assertEquals(1, variantsOf(experiment), "no image row for the failed option");
    assertNoOrphans();
    assertMetric("promptlab_generation_errors_total\\{error_kind=\"" + fault.kind + "\",provider=\"" + fault.provider()
      + "\"");

    JsonObject retried = retry(experiment, failed.getString("option"), 200);
    assertEquals("ready", retried.getString("status"));
    assertArrayEquals(fault.result(fake), imageBytes(retried.getString("url")),
      "the retry rendered on the same service");
    OptionRow afterRetry = optionRows(experiment.getString("experiment_id")).get(failed.getString("option"));
    assertEquals("ready", afterRetry.status());
    assertEquals(retried.getLong("image_id"), afterRetry.imageId());
    assertEquals(fault.provider(), afterRetry.provider());
    assertNull(afterRetry.error());
    assertEquals(failedRow.seed(), afterRetry.seed(), "the retry renders the same experiment point");
    assertEquals(2, variantsOf(experiment));
    assertNoOrphans();
    retry(experiment, failed.getString("option"), 409);

    HttpResponse<Buffer> rated = TrainingLoopTest.rate(server, TrainingLoopTest.ratingBody(experiment, 2, 4));
    assertEquals(200, rated.statusCode(), rated.bodyAsString());
  }

  @Test
  void aFailedReplicatePredictionCostsOnlyItsOption() throws Exception {
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(201, fake.prediction("pfail42", "starting", null, null)));
    fake.next(Step.REPLICATE_STATUS, Reply.json(200, fake.prediction("pfail42", "processing", null, null)),
      Reply.json(200, fake.prediction("pfail42", "failed", null,
        "NSFW content detected. Try running it again, or try a different prompt.")));
    JsonObject experiment = uploadOk(SampleImages.jpeg(480, 360), "structure");
    JsonObject failed = optionFor(experiment, "stablediffusion");
    JsonObject served = optionFor(experiment, "leonardo");

    assertEquals("failed", failed.getString("status"));
    String message = failed.getJsonObject("error").getString("message");
    assertTrue(message.contains("replicate prediction failed") && message.contains("NSFW content detected"), message);
    assertArrayEquals(fake.leonardoResult, imageBytes(served.getString("url")));
    assertEquals(0, fake.received(Step.REPLICATE_DELIVERY).stream()
      .filter(r -> r.path().contains("pfail42")).count(), "nothing was downloaded for the failed prediction");
    Map<String, OptionRow> rows = optionRows(experiment.getString("experiment_id"));
    assertEquals("failed", rows.get(failed.getString("option")).status());
    assertEquals("ready", rows.get(served.getString("option")).status());
    assertEquals(1, variantsOf(experiment));
    assertNoOrphans();
    assertMetric("promptlab_generation_errors_total\\{error_kind=\"other\",provider=\"replicate\"");

    JsonObject retried = retry(experiment, failed.getString("option"), 200);
    assertArrayEquals(fake.replicateResult, imageBytes(retried.getString("url")), "the retry rendered on Replicate");
    assertEquals(2, variantsOf(experiment));
  }

  @Test
  void rateLimitedCallsWaitForRetryAfterAndThenSucceed() throws Exception {
    int mark = fake.received().size();
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.json(429, new JsonObject().put("error", "Too many requests"))
      .withHeader("Retry-After", "1"));
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(429, new JsonObject().put("title", "Request was throttled")
      .put("detail", "Request was throttled. Expected available in 1 second.").put("status", 429))
      .withHeader("Retry-After", "1"));
    JsonObject experiment = uploadOk(SampleImages.jpeg(480, 360), "structure");

    assertEquals("ready", optionFor(experiment, "leonardo").getString("status"));
    assertEquals("ready", optionFor(experiment, "stablediffusion").getString("status"));
    List<Received> calls = fake.receivedSince(mark);
    for (Step step : List.of(Step.LEONARDO_INIT_IMAGE, Step.REPLICATE_PREDICTIONS)) {
      List<Received> attempts = calls.stream().filter(c -> c.step() == step).toList();
      assertEquals(2, attempts.size(), step + ": refused once, then accepted");
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(attempts.get(1).atNanos() - attempts.get(0).atNanos());
      assertTrue(waitedMs >= 1000, step + " came back after " + waitedMs + " ms, before Retry-After allowed");
    }
    assertEquals(1, count(calls, Step.LEONARDO_GENERATIONS), "one paid Leonardo job");
    Map<String, OptionRow> rows = optionRows(experiment.getString("experiment_id"));
    assertTrue(rows.values().stream().allMatch(r -> "ready".equals(r.status())), rows.toString());
    assertEquals(2, variantsOf(experiment));
    assertNoOrphans();
  }

  @Test
  void whenBothServicesFailTheTrainerGetsAClearErrorAndNoVariantIsStored() throws Exception {
    long images = TestDatabase.count("SELECT count(*) FROM images WHERE kind = 'enhanced'");
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.json(503, new JsonObject().put("error", "Service Unavailable")));
    fake.next(Step.REPLICATE_PREDICTIONS, Reply.json(500, new JsonObject().put("title", "Internal Server Error")
      .put("status", 500)));

    HttpResponse<Buffer> response = TrainingLoopTest.upload(server, SampleImages.jpeg(320, 240), "r.jpg", "image/jpeg",
      "structure");
    assertEquals(502, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals("provider_failed", error.getString("code"));
    assertTrue(error.getString("message").startsWith("no variant could be generated"), error.encode());
    assertEquals(images, TestDatabase.count("SELECT count(*) FROM images WHERE kind = 'enhanced'"));
    assertNoOrphans();

    // Both services work again at once (and their failure counts start over).
    JsonObject experiment = uploadOk(SampleImages.jpeg(320, 240), "structure");
    assertEquals(2, variantsOf(experiment));
  }

  @Test
  void anOpenCircuitRefusesAtOnceAndAFreshGenerationInstanceStartsWithItClosed() throws Exception {
    JsonObject experiment;
    JsonObject refused;
    HttpResponse<Buffer> redeployed;
    try {
      uploadOk(SampleImages.jpeg(320, 240), "surfaces");
      for (int i = 0; i < 3; i++) {
        fake.next(Step.LEONARDO_INIT_IMAGE, Reply.json(500, new JsonObject().put("error", "Internal Server Error")));
        JsonObject failed = optionFor(uploadOk(SampleImages.jpeg(320, 240), "surfaces"), "leonardo");
        assertEquals("provider_failed", failed.getJsonObject("error").getString("code"), failed.encode());
      }
      int initImageCalls = fake.received(Step.LEONARDO_INIT_IMAGE).size();

      experiment = uploadOk(SampleImages.jpeg(320, 240), "surfaces");
      refused = optionFor(experiment, "leonardo");
      assertEquals("failed", refused.getString("status"));
      assertEquals("provider_unavailable", refused.getJsonObject("error").getString("code"), refused.encode());
      assertEquals("ready", optionFor(experiment, "stablediffusion").getString("status"), "Replicate is unaffected");
      assertEquals(initImageCalls, fake.received(Step.LEONARDO_INIT_IMAGE).size(), "Leonardo was not called");
      assertMetric("promptlab_generation_errors_total\\{error_kind=\"circuit_open\",provider=\"leonardo\"");
      // Open (the gauge reads the state's place in ProviderCircuitChanged.STATES); its reset time is beyond the
      // test (FakeImageApis), so nothing here races a clock.
      assertScrapeLine("promptlab_provider_circuit_state\\{provider=\"leonardo\"} 2\\.0");
      assertScrapeLine("promptlab_provider_circuit_state\\{provider=\"replicate\"} 0\\.0");

      // While open, a retry is refused at once and the option stays failed.
      HttpResponse<Buffer> refusedRetry = await(server.post(retryPath(experiment, refused.getString("option"))).send());
      assertEquals(503, refusedRetry.statusCode(), refusedRetry.bodyAsString());
      assertEquals("failed",
        optionRows(experiment.getString("experiment_id")).get(refused.getString("option")).status());
      assertEquals(initImageCalls, fake.received(Step.LEONARDO_INIT_IMAGE).size(), "Leonardo was still not called");
    } finally {
      // A new generation instance starts with closed circuits: the other tests find Leonardo reachable, whatever
      // happened above.
      redeployed = await(server.post("/api/admin/verticles/generation/redeploy").send());
    }
    assertEquals(200, redeployed.statusCode(), redeployed.bodyAsString());
    assertScrapeLine("promptlab_provider_circuit_state\\{provider=\"leonardo\"} 0\\.0");
    HttpResponse<Buffer> retried = await(server.post(retryPath(experiment, refused.getString("option"))).send());
    assertEquals(200, retried.statusCode(), retried.bodyAsString());
    assertArrayEquals(fake.leonardoResult, imageBytes(retried.bodyAsJsonObject().getString("url")));
    assertEquals("ready", optionFor(uploadOk(SampleImages.jpeg(320, 240), "surfaces"), "leonardo").getString("status"),
      "the circuit is closed");
    assertNoOrphans();
  }

  @Test
  void theTrainerPageShowsTheFailureAndItsRetryShowsTheNewVariant() throws Exception {
    fake.next(Step.LEONARDO_INIT_IMAGE, Reply.json(500, new JsonObject().put("error", "Internal Server Error")));
    MultipartForm form = MultipartForm.create().attribute("mode", "structure")
      .binaryFileUpload("image", "sala.jpg", Buffer.buffer(SampleImages.jpeg(400, 300)), "image/jpeg");
    // The provider's own words are for English pages; a Spanish page says it in Spanish without them.
    HttpResponse<Buffer> page = await(server.post("/ui/enhance?lang=en").sendMultipartForm(form));
    assertEquals(200, page.statusCode(), page.bodyAsString());
    String html = page.bodyAsString();
    assertTrue(html.contains("leonardo init-image answered HTTP 500"), "the page says what failed: " + html);
    Matcher retryButton = Pattern.compile("hx-post=\"/ui/retry\" hx-vals='\\{\"experiment_id\": \"(exp_[0-9a-z]+)\","
      + " \"option\": \"([AB])\", \"position\": \"[12]\"\\}'").matcher(html);
    assertTrue(retryButton.find(), "the failed option offers a retry: " + html);
    Matcher images = IMG_SRC.matcher(html);
    int shown = 0;
    while (images.find()) {
      assertEquals(200, await(server.get(images.group(1)).send()).statusCode());
      shown++;
    }
    assertEquals(2, shown, "the original and the one variant that exists");

    HttpResponse<Buffer> fragment = await(server.post("/ui/retry").sendForm(MultiMap.caseInsensitiveMultiMap()
      .add("experiment_id", retryButton.group(1)).add("option", retryButton.group(2))));
    assertEquals(200, fragment.statusCode(), fragment.bodyAsString());
    Matcher variant = IMG_SRC.matcher(fragment.bodyAsString());
    assertTrue(variant.find(), fragment.bodyAsString());
    assertArrayEquals(fake.leonardoResult, imageBytes(variant.group(1)));
    assertTrue(fragment.bodyAsString().contains("name=\"rating_" + retryButton.group(2) + "\""),
      "the new variant can be rated on the page");
  }

  // ---------------------------------------------------------------------------------------------------------

  private static JsonObject uploadOk(byte[] jpeg, String mode) throws Exception {
    HttpResponse<Buffer> response = TrainingLoopTest.upload(server, jpeg, "render.jpg", "image/jpeg", mode);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject experiment = response.bodyAsJsonObject();
    assertEquals("initial-design", experiment.getString("strategy"), experiment.encode());
    return experiment;
  }

  /** The one option of the experiment whose parameters use {@code api}. */
  private static JsonObject optionFor(JsonObject experiment, String api) {
    List<JsonObject> options = experiment.getJsonArray("options").stream().map(JsonObject.class::cast)
      .filter(o -> api.equals(o.getJsonObject("parameters").getString("api"))).toList();
    assertEquals(1, options.size(), "one option per API in the initial design: " + experiment.encode());
    return options.get(0);
  }

  private static JsonObject retry(JsonObject experiment, String option, int expectedStatus) throws Exception {
    HttpResponse<Buffer> response = await(server.post(retryPath(experiment, option)).send());
    assertEquals(expectedStatus, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static String retryPath(JsonObject experiment, String option) {
    return "/api/train/experiments/" + experiment.getString("experiment_id") + "/options/" + option + "/retry";
  }

  private static byte[] imageBytes(String url) throws Exception {
    HttpResponse<Buffer> response = await(server.get(url).send());
    assertEquals(200, response.statusCode(), url + ": " + response.bodyAsString());
    assertEquals("image/jpeg", response.getHeader("content-type"));
    return response.body().getBytes();
  }

  private static Received only(List<Received> calls, Step step) {
    List<Received> matching = calls.stream().filter(c -> c.step() == step).toList();
    assertEquals(1, matching.size(), step + " calls: " + matching.size());
    return matching.get(0);
  }

  private static long count(List<Received> calls, Step step) {
    return calls.stream().filter(c -> c.step() == step).count();
  }

  private static JsonObject promptDocument(String version) throws Exception {
    return new JsonObject(Files.readString(server.promptsDir.resolve("versions").resolve(version + ".json")));
  }

  /** The Prometheus scrape shows the line, once the metrics verticle has taken the bus event. */
  private static void assertMetric(String regex) {
    Pattern line = Pattern.compile("(?m)^" + regex + "[^}]*} [1-9]");
    Eventually.value("a metric line " + regex, ExternalProvidersOverHttpTest::scrape,
      scrape -> line.matcher(scrape).find());
  }

  /** The Prometheus scrape has a line matching {@code regex} whole, once the metrics verticle has taken the event. */
  private static void assertScrapeLine(String regex) {
    Pattern expected = Pattern.compile(regex);
    Eventually.value("a scrape line " + regex, ExternalProvidersOverHttpTest::scrape,
      scrape -> scrape.lines().anyMatch(line -> expected.matcher(line).matches()));
  }

  private static String scrape() {
    return await(server.get("/metrics").send()).bodyAsString();
  }

  private static Map<String, OptionRow> optionRows(String experimentId) throws Exception {
    Map<String, OptionRow> rows = new HashMap<>();
    try (Connection c = TestDatabase.connect();
         PreparedStatement s = c.prepareStatement("SELECT option, api, provider, status, image_id, error, seed,"
           + " strength, guidance_scale, control_weight FROM experiment_options WHERE experiment_id = ?")) {
      s.setString(1, experimentId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          long image = rs.getLong("image_id");
          Long imageId = rs.wasNull() ? null : image;
          rows.put(rs.getString("option"), new OptionRow(rs.getString("option"), rs.getString("api"),
            rs.getString("provider"), rs.getString("status"), imageId, rs.getString("error"), rs.getLong("seed"),
            rs.getDouble("strength"), rs.getDouble("guidance_scale"), rs.getDouble("control_weight")));
        }
      }
    }
    assertEquals(2, rows.size(), "the experiment is stored with both options");
    return rows;
  }

  /** Enhanced image rows made from this experiment's original. */
  private static long variantsOf(JsonObject experiment) {
    return TestDatabase.count("SELECT count(*) FROM images WHERE kind = 'enhanced' AND parent_image_id = "
      + "(SELECT original_image_id FROM experiments WHERE id = '" + experiment.getString("experiment_id") + "')");
  }

  /** Every enhanced row belongs to an option, and every image row has its file and no file lacks a row. */
  private static void assertNoOrphans() throws Exception {
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM images i WHERE i.kind = 'enhanced' AND NOT EXISTS"
      + " (SELECT 1 FROM experiment_options o WHERE o.image_id = i.id)"), "enhanced images no option uses");
    Path images = server.dataDir.resolve("images");
    long files;
    try (Stream<Path> walk = Files.walk(images)) {
      files = walk.filter(Files::isRegularFile).count();
    }
    assertEquals(TestDatabase.count("SELECT count(*) FROM images"), files, "one file per image row");
    assertFalse(files == 0, "images are stored locally in this setup");
  }
}
