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
}
