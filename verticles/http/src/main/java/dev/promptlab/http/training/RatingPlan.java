package dev.promptlab.http.training;

import dev.promptlab.http.web.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a rating submission means against what is already stored: which ratings are new, which
 * repeat an identical stored rating (idempotent), and refusals for anything that contradicts the
 * experiment. Nothing is written when a refusal is thrown.
 */
public record RatingPlan(List<NewRating> newRatings, int repeated) {

  /** A rating to insert for a stored option. */
  public record NewRating(StoredOption option, RatingSubmission.Entry entry) {
  }

  public RatingPlan {
    newRatings = List.copyOf(newRatings);
  }

  public static RatingPlan decide(List<StoredOption> stored, RatingSubmission submission) {
    List<NewRating> fresh = new ArrayList<>();
    int repeated = 0;
    for (RatingSubmission.Entry entry : submission.ratings()) {
      StoredOption option = stored.stream().filter(o -> o.option().equals(entry.option())).findFirst()
        .orElseThrow(() -> ApiError.badRequest("experiment " + submission.experimentId() + " has no option " + entry.option()));
      if (entry.imageId() != null && !entry.imageId().equals(option.imageId())) {
        throw ApiError.badRequest("image_id " + entry.imageId() + " is not the image of option " + entry.option());
      }
      if (option.failed()) {
        throw ApiError.conflict("option " + entry.option() + " failed to generate and cannot be rated");
      }
      if (option.rated()) {
        if (option.rating() != entry.rating() || !Objects.equals(option.comment(), entry.comment())) {
          throw ApiError.conflict("option " + entry.option() + " was already rated differently; a rating cannot be changed");
        }
        repeated++;
      } else {
        fresh.add(new NewRating(option, entry));
      }
    }
    return new RatingPlan(fresh, repeated);
  }

  public boolean nothingNew() {
    return newRatings.isEmpty();
  }
}
