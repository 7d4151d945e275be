package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.http.web.ApiError;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatingPlanTest {

  private static final GenerationParameters POINT = new GenerationParameters("leonardo", 0.3, 7.0, 0.9);

  private static StoredOption option(String name, long imageId, String status, Integer rating, String comment) {
    boolean failed = "failed".equals(status);
    return new StoredOption(imageId, name, failed ? null : imageId, failed ? null : "pub" + imageId, status, POINT,
      "v1.0.0", null, rating, comment);
  }

  private static RatingSubmission submission(RatingSubmission.Entry... entries) {
    return new RatingSubmission("exp_abc123", List.of(entries), "t@example.com");
  }

  @Test
  void newRatingsAreInserted() {
    RatingPlan plan = RatingPlan.decide(List.of(option("A", 1, "ready", null, null), option("B", 2, "ready", null, null)),
      submission(new RatingSubmission.Entry("A", 1L, 4, null), new RatingSubmission.Entry("B", null, 2, "flat")));
    assertEquals(2, plan.newRatings().size());
    assertEquals(0, plan.repeated());
  }

  @Test
  void anIdenticalRepeatStoresNothing() {
    RatingPlan plan = RatingPlan.decide(List.of(option("A", 1, "ready", 4, "flat")),
      submission(new RatingSubmission.Entry("A", 1L, 4, "flat")));
    assertTrue(plan.nothingNew());
    assertEquals(1, plan.repeated());
  }

  @Test
  void aDifferentRatingOrCommentForARatedOptionIsAConflict() {
    List<StoredOption> stored = List.of(option("A", 1, "ready", 4, "flat"));
    assertEquals(409, assertThrows(ApiError.class,
      () -> RatingPlan.decide(stored, submission(new RatingSubmission.Entry("A", 1L, 5, "flat")))).status());
    assertEquals(409, assertThrows(ApiError.class,
      () -> RatingPlan.decide(stored, submission(new RatingSubmission.Entry("A", 1L, 4, null)))).status());
  }

  @Test
  void failedOptionsCannotBeRated() {
    assertEquals(409, assertThrows(ApiError.class, () -> RatingPlan.decide(List.of(option("B", 2, "failed", null, null)),
      submission(new RatingSubmission.Entry("B", null, 3, null)))).status());
  }

  @Test
  void optionsAndImagesMustMatch() {
    List<StoredOption> stored = List.of(option("A", 1, "ready", null, null));
    assertEquals(400, assertThrows(ApiError.class,
      () -> RatingPlan.decide(stored, submission(new RatingSubmission.Entry("B", null, 3, null)))).status());
    assertEquals(400, assertThrows(ApiError.class,
      () -> RatingPlan.decide(stored, submission(new RatingSubmission.Entry("A", 7L, 3, null)))).status());
  }
}
