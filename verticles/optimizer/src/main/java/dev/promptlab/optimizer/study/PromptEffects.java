package dev.promptlab.optimizer.study;

import dev.promptlab.contract.GenerationParameters;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How much each prompt version shifts ratings, measured on A/B pairs, so the model of the parameters can learn
 * from the ratings of every version as if they had all been given to one.
 *
 * <p>An A/B pair is one experiment whose two options were rendered at the same parameters with different prompt
 * versions and were both rated: the difference of its two ratings is the prompt's effect plus rating noise, with
 * no parameter effect in it. The effect of version {@code b} against {@code a} is the mean of those differences
 * over every such pair; effects chain along the tests (a candidate against its control, the next candidate against
 * it) out from the <em>reference</em> version — the one production uses, taken as the version of the newest rating
 * given outside an A/B test (the newest rating's version when there is none). The reference's effect is 0; a
 * version never compared with it through pairs has no measured effect and also counts 0.
 *
 * <p>Plain means, no shrinkage: the corrected rating of a paired arm is then its partner's rating plus the mean
 * difference, so even a single pair adds no prompt effect to the parameter model (it repeats the partner's
 * rating); with more pairs the noise of the mean falls as 1/sqrt(pairs). Pure logic, no Vert.x.
 */
public final class PromptEffects {

  /** Residual pair differences needed before the rating noise ({@link Measured#ratingNoise}) is measured. */
  public static final int MIN_NOISE_DEGREES = 3;

  /**
   * What one set of ratings measures.
   *
   * @param effects     the effect of each version that has one (the reference included, at 0), in rating stars
   * @param ratingNoise the rating noise (standard deviation of one rating, in stars) the A/B pairs measure, when they
   *                    have at least {@link #MIN_NOISE_DEGREES} degrees of freedom: the two ratings of a pair share the
   *                    setting, so their difference, less its versions' mean difference, is the noise of two ratings
   *                    (variance 2 sigma^2); pooled over every pair of versions. An interaction of prompt and setting
   *                    counts as noise too, which only errs on the side of caution.
   */
  public record Measured(Map<String, Double> effects, OptionalDouble ratingNoise) {
  }

  private PromptEffects() {
  }

  /** The versions' effects and the rating noise, from one pass over the pairs. */
  public static Measured measure(List<RatedSample> ratings) {
    Map<String, Map<String, double[]>> differences = pairDifferences(ratings);
    return new Measured(effects(ratings, differences), noise(differences));
  }

  private static Map<String, Double> effects(List<RatedSample> ratings,
                                             Map<String, Map<String, double[]>> differences) {
    String reference = reference(ratings);
    if (reference == null) {
      return Map.of();
    }
    Map<String, Double> effects = new HashMap<>();
    effects.put(reference, 0.0);
    Deque<String> queue = new ArrayDeque<>(List.of(reference));
    while (!queue.isEmpty()) {
      String from = queue.removeFirst();
      for (Map.Entry<String, double[]> edge : differences.getOrDefault(from, Map.of()).entrySet()) {
        if (!effects.containsKey(edge.getKey())) {
          double[] tally = edge.getValue();
          effects.put(edge.getKey(), effects.get(from) + tally[0] / tally[1]);
          queue.addLast(edge.getKey());
        }
      }
    }
    return effects;
  }

  private static OptionalDouble noise(Map<String, Map<String, double[]>> differences) {
    double squares = 0;
    double degrees = 0;
    for (Map.Entry<String, Map<String, double[]>> from : differences.entrySet()) {
      for (Map.Entry<String, double[]> to : from.getValue().entrySet()) {
        // Each pair of versions is held in both directions, with the same residuals: count it once.
        if (from.getKey().compareTo(to.getKey()) < 0) {
          double[] d = to.getValue();
          squares += d[2] - d[0] * d[0] / d[1];
          degrees += d[1] - 1;
        }
      }
    }
    return degrees < MIN_NOISE_DEGREES ? OptionalDouble.empty()
      : OptionalDouble.of(Math.sqrt(Math.max(0, squares) / degrees / 2));
  }

  private static String reference(List<RatedSample> ratings) {
    String newest = null;
    for (int i = ratings.size() - 1; i >= 0; i--) {
      RatedSample r = ratings.get(i);
      if (r.promptVersion() == null) {
        continue;
      }
      if (!r.abTest()) {
        return r.promptVersion();
      }
      if (newest == null) {
        newest = r.promptVersion();
      }
    }
    return newest;
  }

  /**
   * For each version, the versions paired with it: sum of (their rating - its rating), the number of pairs and the
   * sum of squared differences.
   */
  private static Map<String, Map<String, double[]>> pairDifferences(List<RatedSample> ratings) {
    Map<String, RatedSample[]> byExperiment = new HashMap<>();
    Map<String, Map<String, double[]>> differences = new HashMap<>();
    for (RatedSample r : ratings) {
      if (r.experimentId() == null || r.promptVersion() == null) {
        continue;
      }
      RatedSample[] seen = byExperiment.computeIfAbsent(r.experimentId(), id -> new RatedSample[1]);
      if (seen[0] == null) {
        seen[0] = r;
        continue;
      }
      RatedSample first = seen[0];
      if (first.promptVersion().equals(r.promptVersion()) || !sameSetting(first, r)) {
        continue;
      }
      double difference = r.observation().rating() - first.observation().rating();
      add(differences, first.promptVersion(), r.promptVersion(), difference);
      add(differences, r.promptVersion(), first.promptVersion(), -difference);
    }
    return differences;
  }

  private static boolean sameSetting(RatedSample a, RatedSample b) {
    GenerationParameters p = a.observation().parameters();
    GenerationParameters q = b.observation().parameters();
    return p.api().equals(q.api()) && p.strength() == q.strength() && p.guidanceScale() == q.guidanceScale()
      && p.controlWeight() == q.controlWeight();
  }

  private static void add(Map<String, Map<String, double[]>> differences, String from, String to, double difference) {
    double[] tally = differences.computeIfAbsent(from, v -> new HashMap<>()).computeIfAbsent(to, v -> new double[3]);
    tally[0] += difference;
    tally[1]++;
    tally[2] += difference * difference;
  }
}
