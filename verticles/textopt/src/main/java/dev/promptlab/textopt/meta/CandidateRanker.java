package dev.promptlab.textopt.meta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The meta-model: orders an iteration's candidates by how likely they are to beat the incumbent, so that a loop that
 * evaluates them in that order and stops at the first one clearing the margin spends fewer evaluations.
 *
 * <p>Each call refits a {@link BayesianRidge} from the features of past evaluated candidates (of any run) to the
 * gains observed on them, and scores the new candidates with its predictive mean and spread ({@link RankingScore}).
 * With too little history, or a history whose gains are all equal, it says so and keeps the optimizer model's order:
 * it never ranks on a model it could not fit. Plain Java, stateless and thread-safe; the fit costs O(n d² + d³) for n
 * past candidates and d features, well under a millisecond at the default bounds.
 */
public final class CandidateRanker {

  private static final double NO_SPREAD = 1e-9;

  private final MetaModelSettings settings;

  public CandidateRanker(MetaModelSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Ranks proposals (in the optimizer model's order) on the history (oldest first). */
  public CandidateRanking rank(List<Proposal> proposals, List<GainObservation> history) {
    return rankFeatures(proposals.stream().map(ProposalFeatures::of).toList(), history);
  }

  /**
   * Ranks candidates given by their feature vectors (in the optimizer model's order) on the history (oldest first).
   *
   * @throws IllegalArgumentException when a vector is not finite or the vectors' lengths differ
   */
  public CandidateRanking rankFeatures(List<double[]> candidates, List<GainObservation> history) {
    int d = ProposalFeatures.NAMES.size();
    for (int c = 0; c < candidates.size(); c++) {
      check(candidates.get(c), d, "candidate " + c);
    }
    List<GainObservation> used = history.size() > settings.maxHistory()
      ? history.subList(history.size() - settings.maxHistory(), history.size())
      : history;
    for (int i = 0; i < used.size(); i++) {
      if (used.get(i).features().length != d) {
        throw new IllegalArgumentException("history row " + i + " has " + used.get(i).features().length
          + " features, expected " + d + " (features version " + ProposalFeatures.VERSION + ")");
      }
    }
    List<Integer> proposalOrder = IntStream.range(0, candidates.size()).boxed().toList();
    if (used.size() < settings.minHistory()) {
      return new CandidateRanking(proposalOrder, List.of(), false, String.format(Locale.ROOT,
        "%d evaluated candidates in the history, %d needed to learn from: proposal order kept", used.size(),
        settings.minHistory()), 0, Map.of());
    }
    double[][] x = new double[used.size()][];
    double[] t = new double[used.size()];
    for (int i = 0; i < used.size(); i++) {
      x[i] = used.get(i).features();
      t[i] = used.get(i).gain();
    }
    if (spread(t) < NO_SPREAD) {
      return new CandidateRanking(proposalOrder, List.of(), false, String.format(Locale.ROOT,
        "the %d evaluated candidates in the history all gained %.4f: nothing to learn from, proposal order kept",
        used.size(), t[0]), 0, Map.of());
    }
    BayesianRidge model = BayesianRidge.fit(x, t);
    List<GainPrediction> predictions = candidates.stream().map(model::predict).map(this::score).toList();
    List<Integer> order = new ArrayList<>(proposalOrder);
    // Stable: equal scores keep the optimizer model's order.
    order.sort(Comparator.comparingDouble((Integer c) -> predictions.get(c).score()).reversed());
    return new CandidateRanking(order, predictions, true, String.format(Locale.ROOT,
      "ranked by %s on %d evaluated candidates (noise sd %.3f)",
      settings.score().name().toLowerCase(Locale.ROOT).replace('_', ' '), used.size(), model.noiseSd()),
      used.size(), weights(model));
  }

  private static Map<String, Double> weights(BayesianRidge model) {
    double[] w = model.weights();
    Map<String, Double> named = new LinkedHashMap<>();
    for (int j = 0; j < w.length; j++) {
      named.put(ProposalFeatures.NAMES.get(j), w[j]);
    }
    return named;
  }

  private GainPrediction score(BayesianRidge.Prediction p) {
    double margin = settings.margin();
    double sd = Math.max(p.sd(), NO_SPREAD);
    double z = (p.mean() - margin) / sd;
    double score = switch (settings.score()) {
      case EXPECTED_IMPROVEMENT -> sd * StandardNormal.expectedExcess(z);
      case UPPER_CONFIDENCE -> p.mean() + settings.exploration() * sd;
      case MEAN -> p.mean();
    };
    return new GainPrediction(p.mean(), sd, StandardNormal.cdf(z), score);
  }

  private static void check(double[] features, int d, String what) {
    if (features.length != d) {
      throw new IllegalArgumentException(what + " has " + features.length + " features, expected " + d);
    }
    for (int j = 0; j < d; j++) {
      if (!Double.isFinite(features[j])) {
        throw new IllegalArgumentException(what + ": feature " + ProposalFeatures.NAMES.get(j) + " is "
          + features[j] + "; features must be finite");
      }
    }
  }

  private static double spread(double[] t) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : t) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return max - min;
  }
}
