package dev.promptlab.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractJsonTest {

  private final GenerationParameters point = new GenerationParameters("leonardo", 0.28, 7.2, 0.89);

  @Test
  void recordsSurviveAJsonRoundTrip() {
    assertEquals(point, GenerationParameters.fromJson(point.toJson()));
    SuggestReply reply = new SuggestReply(List.of(point), SuggestReply.GP_EI, null);
    assertEquals(reply, SuggestReply.fromJson(new JsonObject(reply.toJson().encode())));
    RatingsRecorded event = new RatingsRecorded("exp_1", "structure",
      List.of(new RatedOption(41, "A", point, "v1.0.0", null, 4, "bien", "t@example.com"),
        new RatedOption(42, "B", point, "v1.0.1", 7L, 2, null, "t@example.com")), 3);
    assertEquals(event, RatingsRecorded.fromJson(new JsonObject(event.toJson().encode())));
    assertEquals(42, event.throughRatingId());
    StatusRequest through = new StatusRequest("structure", 42);
    assertEquals(through, StatusRequest.fromJson(new JsonObject(through.toJson().encode())));
    assertEquals(new StatusRequest("surfaces", 0), StatusRequest.fromJson(new JsonObject().put("study", "surfaces")));
    StudyStatus status = new StudyStatus("surfaces", 3, 3.5, 0.2, 47, false, null, point, "gp");
    assertEquals(status, StudyStatus.fromJson(new JsonObject(status.toJson().encode())));
    ProviderCircuitChanged circuit = new ProviderCircuitChanged("leonardo", ProviderCircuitChanged.HALF_OPEN);
    assertEquals(circuit, ProviderCircuitChanged.fromJson(new JsonObject(circuit.toJson().encode())));
  }

  @Test
  void seedJsonUsesTheProviderNames() {
    assertEquals(0.28, point.toSeedJson().getDouble("init_strength"));
    assertEquals(0.89, point.toSeedJson().getDouble("controlnet_weight"));
    GenerationParameters sd = new GenerationParameters("stablediffusion", 0.22, 8.1, 0.93);
    assertEquals(0.22, sd.toSeedJson().getDouble("strength"));
    assertEquals(0.93, sd.toSeedJson().getDouble("controlnet_conditioning_scale"));
  }

  @Test
  void outOfRangeParametersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new GenerationParameters("dalle", 0.3, 7, 0.9));
    assertThrows(IllegalArgumentException.class, () -> new GenerationParameters("leonardo", 0.6, 7, 0.9));
    assertThrows(IllegalArgumentException.class, () -> new GenerationParameters("leonardo", 0.3, 13, 0.9));
    assertThrows(IllegalArgumentException.class, () -> new GenerationParameters("leonardo", 0.3, 7, 1.0));
    assertThrows(IllegalArgumentException.class, () -> GenerationParameters.fromJson(new JsonObject().put("api", "leonardo")));
    assertThrows(IllegalArgumentException.class, () -> new SuggestRequest("kitchen", 2));
  }

  @Test
  void ratingEventsAndStatusRequestsRefuseWhatTheyCannotUse() {
    JsonObject noRatingId = new RatedOption(1, "A", point, "v1.0.0", null, 4, null, "t@example.com").toJson();
    noRatingId.remove("rating_id");
    assertThrows(IllegalArgumentException.class, () -> RatedOption.fromJson(noRatingId));
    assertThrows(IllegalArgumentException.class, () -> RatedOption.fromJson(noRatingId.copy().put("rating_id", 0)));
    assertThrows(IllegalArgumentException.class, () -> StatusRequest.fromJson(new JsonObject().put("study", "attic")));
    assertThrows(IllegalArgumentException.class,
      () -> StatusRequest.fromJson(new JsonObject().put("study", "structure").put("through_rating_id", -3)));
    assertThrows(IllegalArgumentException.class,
      () -> StatusRequest.fromJson(new JsonObject().put("study", "structure").put("through_rating_id", 2.5)));
    assertThrows(IllegalArgumentException.class,
      () -> StatusRequest.fromJson(new JsonObject().put("study", "structure").put("through_rating_id", "7")));
  }

  @Test
  void requestsAreCheckedWhenRead() {
    JsonObject valid = new GenerateRequest(4, "structure", point, new PromptText("p", "n"), "v1.0.0", 1).toJson();
    assertEquals(4, GenerateRequest.fromJson(valid).originalImageId());
    for (JsonObject wrong : List.of(valid.copy().put("original_image_id", "one"), valid.copy().putNull("prompt"),
      valid.copy().put("mode", "cubism"), valid.copy().put("seed", "lucky"),
      valid.copy().put("prompt", new JsonObject().put("prompt", 5)))) {
      assertThrows(IllegalArgumentException.class, () -> GenerateRequest.fromJson(wrong), wrong.encode());
    }
    assertThrows(IllegalArgumentException.class, () -> AssignRequest.fromJson(new JsonObject().put("mode", "structure")
      .put("count", AssignRequest.MAX_COUNT + 1)));
    assertEquals(1, AssignRequest.fromJson(new JsonObject().put("mode", "surfaces")).count());
    assertThrows(IllegalArgumentException.class, () -> ListRequest.fromJson(new JsonObject().put("limit", 0)));
    assertEquals(ListRequest.DEFAULT_LIMIT, ListRequest.fromJson(new JsonObject()).limit());
    assertThrows(IllegalArgumentException.class, () -> AbTestsRequest.fromJson(new JsonObject().put("status", "lost")));
    assertThrows(IllegalArgumentException.class, () -> Phase1Override.fromJson(new JsonObject().put("study", "structure")));
    assertThrows(IllegalArgumentException.class, () -> ImageReadRequest.fromJson(new JsonObject().put("image_id", 0)));
    assertThrows(IllegalArgumentException.class, () -> ImageReadRequest.fromJson(new JsonObject().put("image_id", 1.5)));
    assertThrows(IllegalArgumentException.class, () -> StoreImageRequest.fromJson(new JsonObject().put("data", "%%%")));
    assertThrows(IllegalArgumentException.class, () -> StoreImageRequest.fromJson(new JsonObject()
      .put("data", "AAEC").put("project_id", "p".repeat(StoreImageRequest.MAX_REFERENCE_LENGTH + 1))));
    assertEquals(StoreImageRequest.MAX_FILENAME_LENGTH, StoreImageRequest.fromJson(new JsonObject().put("data", "AAEC")
      .put("filename", "f".repeat(400))).filename().length());
    assertThrows(IllegalArgumentException.class, () -> PromoteRequest.fromJson(new JsonObject().put("version", "v1.0.0")
      .put("reason", "r".repeat(PromoteRequest.MAX_REASON_LENGTH + 1))));
    assertThrows(IllegalArgumentException.class, () -> PromoteRequest.fromJson(new JsonObject()));
    assertEquals(null, PromoteRequest.rollback(new JsonObject()).version());
    assertEquals("admin", EvolveRequest.fromJson(new JsonObject().put("requested_by", " ")).requestedBy());
    assertThrows(IllegalArgumentException.class, () -> EvolveRequest.fromJson(new JsonObject()
      .put("requested_by", "a".repeat(321))));
    assertThrows(IllegalArgumentException.class, () -> RequestFields.body("text"));
    assertEquals(new JsonObject(), RequestFields.body(null));
  }
}
