package dev.promptlab.http.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which two of an upload's rendered candidates a trainer sees, from the reward model's predictions.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>A candidate is <em>screened</em> when screening is on and its prediction is confidently bad: its upper
 *       bound {@code predicted + sigmas · uncertainty} is below {@code belowRating}.</li>
 *   <li>Of the candidates with a prediction that were not screened, the best predicted is shown
 *       ({@link Role#BEST}), then the most uncertain of the others ({@link Role#MOST_UNCERTAIN}: where a rating
 *       teaches the model most).</li>
 *   <li>The model never leaves a trainer with fewer than two options: free places are filled ({@link Role#FILLER})
 *       first by the best predicted of the screened candidates, then by rendered candidates without a prediction,
 *       then by failed renders (which the trainer can retry), each in candidate order.</li>
 *   <li>The others are recorded: {@link Role#SCREENED} or {@link Role#UNSHOWN}.</li>
 * </ol>
 * The two shown take the options A and B in the order chosen unless {@code swap} is set, so the caller can place
 * the model's favourite at random and the trainer cannot learn that one letter is the better one.
 */
public final class CandidateSelection {

  /** The options shown, in order. */
  public static final List<String> OPTIONS = List.of("A", "B");

  /** What became of a candidate. */
  public enum Role {
    BEST("best"), MOST_UNCERTAIN("most_uncertain"), FILLER("filler"), UNSHOWN("unshown"), SCREENED("screened");

    private final String stored;

    Role(String stored) {
      this.stored = stored;
    }

    /** The name stored in {@code experiment_candidates.role} and shown to admins. */
    public String stored() {
      return stored;
    }

    public boolean shown() {
      return this == BEST || this == MOST_UNCERTAIN || this == FILLER;
    }
  }

  /**
   * One rendered (or failed) candidate: {@code predicted} and {@code uncertainty} are null when it has no
   * prediction (its render failed, or the model did not answer for it).
   */
  public record Candidate(boolean rendered, Double predicted, Double uncertainty) {

    public Candidate {
      if ((predicted == null) != (uncertainty == null)) {
        throw new IllegalArgumentException("a prediction comes with its uncertainty");
      }
      if (!rendered && predicted != null) {
        throw new IllegalArgumentException("a failed render has no prediction");
      }
    }

    boolean judged() {
      return predicted != null;
    }
  }

  /** Screening: drop a candidate whose {@code predicted + sigmas · uncertainty} is below {@code belowRating}. */
  public record Screen(double belowRating, double sigmas) {

    public Screen {
      if (!(belowRating >= 1 && belowRating <= 5)) {
        throw new IllegalArgumentException("the screening rating must be within 1-5, got " + belowRating);
      }
      if (!(sigmas >= 0) || Double.isInfinite(sigmas)) {
        throw new IllegalArgumentException("the screening sigmas must be a finite number >= 0, got " + sigmas);
      }
    }

    boolean confidentlyBad(Candidate candidate) {
      return candidate.judged() && candidate.predicted() + sigmas * candidate.uncertainty() < belowRating;
    }
  }

  /** The outcome for one candidate (by its index in the input): its role, its option when shown, and the screen's verdict. */
  public record Placement(int candidate, Role role, String option, boolean belowScreen) {
  }

  private CandidateSelection() {
  }

  /**
   * Places every candidate. {@code screen} null: screening is off. Needs at least two candidates; the result has
   * one placement per candidate, in candidate order, exactly two of them shown.
   */
  public static List<Placement> choose(List<Candidate> candidates, Screen screen, boolean swap) {
    if (candidates.size() < OPTIONS.size()) {
      throw new IllegalArgumentException("at least two candidates are needed, got " + candidates.size());
    }
    Predicate<Integer> below = i -> screen != null && screen.confidentlyBad(candidates.get(i));
    List<Integer> passing = indexes(candidates.size(), i -> candidates.get(i).judged() && !below.test(i));
    Map<Integer, Role> shown = new LinkedHashMap<>();
    passing.stream().max(Comparator.comparingDouble((Integer i) -> candidates.get(i).predicted())
        .thenComparing(Comparator.reverseOrder()))
      .ifPresent(best -> shown.put(best, Role.BEST));
    passing.stream().filter(i -> !shown.containsKey(i))
      .max(Comparator.comparingDouble((Integer i) -> candidates.get(i).uncertainty())
        .thenComparing(Comparator.reverseOrder()))
      .ifPresent(uncertain -> shown.put(uncertain, Role.MOST_UNCERTAIN));
    List<Integer> fillers = new ArrayList<>(indexes(candidates.size(), below));
    fillers.sort(Comparator.comparingDouble((Integer i) -> -candidates.get(i).predicted())
      .thenComparing(Comparator.naturalOrder()));
    fillers.addAll(indexes(candidates.size(), i -> candidates.get(i).rendered() && !candidates.get(i).judged()));
    fillers.addAll(indexes(candidates.size(), i -> !candidates.get(i).rendered()));
    for (int i = 0; shown.size() < OPTIONS.size(); i++) {
      shown.putIfAbsent(fillers.get(i), Role.FILLER);
    }
    List<Integer> order = new ArrayList<>(shown.keySet());
    if (swap) {
      order = List.of(order.get(1), order.get(0));
    }
    List<Placement> placements = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      boolean bad = below.test(i);
      Role role = shown.get(i);
      if (role == null) {
        placements.add(new Placement(i, bad ? Role.SCREENED : Role.UNSHOWN, null, bad));
      } else {
        placements.add(new Placement(i, role, OPTIONS.get(order.indexOf(i)), bad));
      }
    }
    return placements;
  }

  private static List<Integer> indexes(int size, Predicate<Integer> keep) {
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (keep.test(i)) {
        list.add(i);
      }
    }
    return list;
  }
}
