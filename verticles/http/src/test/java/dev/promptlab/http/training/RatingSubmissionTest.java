package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.http.web.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RatingSubmissionTest {

  private static JsonObject body(Object rating) {
    return new JsonObject().put("experiment_id", "exp_abc123")
      .put("ratings", new JsonArray().add(new JsonObject().put("option", "A").put("rating", rating)));
  }

  private static ApiError refused(JsonObject body) {
    return assertThrows(ApiError.class, () -> RatingSubmission.parse(body, "anonymous", true));
  }

  @Test
  void acceptsTheSeedShape() {
    JsonObject seed = new JsonObject().put("experiment_id", "exp_12345a")
      .put("ratings", new JsonArray()
        .add(new JsonObject().put("option", "A").put("image_id", 123).put("rating", 4).put("comments", " Good depth "))
        .add(new JsonObject().put("option", "B").put("image_id", 124).put("rating", 5).put("comments", "")))
      .put("rated_by", "trainer@example.com");
    RatingSubmission parsed = RatingSubmission.parse(seed, "anonymous", true);
    assertEquals("exp_12345a", parsed.experimentId());
    assertEquals(new RatingSubmission.Entry("A", 123L, 4, "Good depth"), parsed.ratings().get(0));
    assertNull(parsed.ratings().get(1).comment());
    assertEquals("trainer@example.com", parsed.ratedBy());
  }

  @Test
  void wholeNumbersWrittenAsDecimalsAreIntegers() {
    assertEquals(4, RatingSubmission.parse(body(4.0), "x", true).ratings().get(0).rating());
  }

  @Test
  void refusesRatingsThatAreNotIntegersFromOneToFive() {
    for (Object rating : new Object[] {0, 6, 3.5, "4", true, -2, 5.0001}) {
      assertEquals(400, refused(body(rating)).status(), String.valueOf(rating));
    }
    assertEquals(400, refused(body(null)).status());
  }

  @Test
  void refusesMalformedStructure() {
    assertEquals(400, refused(new JsonObject()).status());
    assertEquals(400, refused(new JsonObject().put("experiment_id", "exp_abc123").put("ratings", "A=4")).status());
    assertEquals(400, refused(new JsonObject().put("experiment_id", "x; DROP TABLE").put("ratings", new JsonArray()))
      .status());
    assertEquals(400, refused(body(4).put("rated_by", "")).status());
    assertEquals(400, refused(body(4).put("rated_by", 42)).status());
    JsonObject three = body(4);
    three.getJsonArray("ratings").add(new JsonObject().put("option", "B").put("rating", 3))
      .add(new JsonObject().put("option", "A").put("rating", 3));
    assertEquals(400, refused(three).status());
  }

  @Test
  void boundsCommentLength() {
    JsonObject ok = body(3);
    ok.getJsonArray("ratings").getJsonObject(0).put("comments", "é".repeat(RatingSubmission.MAX_COMMENT_CHARS));
    assertEquals(RatingSubmission.MAX_COMMENT_CHARS, RatingSubmission.parse(ok, "x", true).ratings().get(0).comment().length());
    ok.getJsonArray("ratings").getJsonObject(0).put("comments", "é".repeat(RatingSubmission.MAX_COMMENT_CHARS + 1));
    assertEquals(400, refused(ok).status());
  }

  @Test
  void theDefaultRaterIsUsedWhenTheBodyNamesNone() {
    assertEquals("anonymous", RatingSubmission.parse(body(2), "anonymous", true).ratedBy());
  }
}
