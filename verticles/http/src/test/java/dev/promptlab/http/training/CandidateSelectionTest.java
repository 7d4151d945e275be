package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.http.training.CandidateSelection.Candidate;
import dev.promptlab.http.training.CandidateSelection.Placement;
import dev.promptlab.http.training.CandidateSelection.Role;
import dev.promptlab.http.training.CandidateSelection.Screen;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateSelectionTest {

  private static Candidate judged(double predicted, double uncertainty) {
    return new Candidate(true, predicted, uncertainty);
  }

  private static final Candidate UNJUDGED = new Candidate(true, null, null);
  private static final Candidate FAILED = new Candidate(false, null, null);

  private static List<String> roles(List<Placement> placements) {
    return placements.stream().map(p -> p.role().stored() + (p.option() == null ? "" : ":" + p.option())).toList();
  }

  @Test
  void theBestPredictedAndTheMostUncertainOfTheRestAreShown() {
    List<Placement> placements = CandidateSelection.choose(List.of(judged(3.0, 0.9), judged(4.2, 0.3),
      judged(3.5, 0.4), judged(2.0, 0.8)), null, false);
    assertEquals(List.of("most_uncertain:B", "best:A", "unshown", "unshown"), roles(placements));
  }

  @Test
  void theBestIsNotAlsoCountedAsTheMostUncertain() {
    List<Placement> placements = CandidateSelection.choose(List.of(judged(4.5, 1.2), judged(3.0, 0.5),
      judged(2.5, 0.7)), null, false);
    assertEquals(List.of("best:A", "unshown", "most_uncertain:B"), roles(placements));
  }

  @Test
  void swappingPutsTheFavouriteOnB() {
    List<Placement> placements = CandidateSelection.choose(List.of(judged(3.0, 0.9), judged(4.2, 0.3),
      judged(3.5, 0.4)), null, true);
    assertEquals(List.of("most_uncertain:A", "best:B", "unshown"), roles(placements));
  }

  @Test
  void aConfidentlyBadCandidateIsScreenedEvenWhenItIsTheMostUncertain() {
    // upper bounds with one sigma: 2.0 + 0.6 = 2.6 < 3 (screened); 2.5 + 0.9 = 3.4 (kept, the most uncertain left)
    List<Placement> placements = CandidateSelection.choose(List.of(judged(2.0, 0.6), judged(4.0, 0.3),
      judged(2.5, 0.9), judged(3.2, 0.2)), new Screen(3.0, 1.0), false);
    assertEquals(List.of("screened", "best:A", "most_uncertain:B", "unshown"), roles(placements));
    assertEquals(true, placements.get(0).belowScreen());
    assertEquals(false, placements.get(2).belowScreen());
  }

  @Test
  void whenScreeningLeavesFewerThanTwoTheBestScreenedFillTheFreePlaces() {
    List<Placement> one = CandidateSelection.choose(List.of(judged(1.5, 0.2), judged(4.0, 0.3), judged(1.8, 0.1),
      judged(1.2, 0.3)), new Screen(3.0, 1.0), false);
    assertEquals(List.of("screened", "best:A", "filler:B", "screened"), roles(one));
    assertEquals(true, one.get(2).belowScreen(), "a filler keeps the screen's verdict for the admin");
    List<Placement> none = CandidateSelection.choose(List.of(judged(1.5, 0.2), judged(1.1, 0.1), judged(1.8, 0.1)),
      new Screen(3.0, 1.0), false);
    assertEquals(List.of("filler:B", "screened", "filler:A"), roles(none));
  }

  @Test
  void withoutPredictionsOrRendersTheCandidatesAreShownInOrderFailedOnesLast() {
    assertEquals(List.of("filler:A", "filler:B", "unshown"),
      roles(CandidateSelection.choose(List.of(UNJUDGED, UNJUDGED, UNJUDGED), null, false)));
    assertEquals(List.of("unshown", "best:A", "filler:B", "unshown"),
      roles(CandidateSelection.choose(List.of(FAILED, judged(3.0, 0.5), UNJUDGED, FAILED), null, false)));
    assertEquals(List.of("filler:A", "filler:B", "unshown"),
      roles(CandidateSelection.choose(List.of(FAILED, FAILED, FAILED), null, false)));
  }

  @Test
  void theUpperBoundDecidesAndABoundOnTheLineIsKept() {
    List<Candidate> candidates = List.of(judged(2.5, 0.5), judged(1.0, 3.0));
    assertEquals(List.of("filler:A", "filler:B"),
      roles(CandidateSelection.choose(candidates, new Screen(3.0, 0.0), false)), "the prediction alone is below 3");
    assertEquals(List.of("best:A", "most_uncertain:B"),
      roles(CandidateSelection.choose(candidates, new Screen(3.0, 1.0), false)), "bounds 3.0 and 4.0 are not below 3");
  }

  @Test
  void badInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CandidateSelection.choose(List.of(judged(3, 1)), null, false));
    assertThrows(IllegalArgumentException.class, () -> new Candidate(true, 3.0, null));
    assertThrows(IllegalArgumentException.class, () -> new Candidate(false, 3.0, 0.4));
    assertThrows(IllegalArgumentException.class, () -> new Screen(0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new Screen(3, -1));
    assertThrows(IllegalArgumentException.class, () -> new Screen(3, Double.NaN));
  }
}
