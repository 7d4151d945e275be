package dev.promptlab.textopt.meta;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order to evaluate an iteration's candidates in, and why.
 *
 * @param order proposal indices (0 = the optimizer model's first), most promising first
 * @param predictions per proposal index, the model's prediction; empty when the model was not used
 * @param modelled whether the order comes from the model; when not, it is the proposal order
 * @param reason a sentence saying what the order rests on, for the run's log and page
 * @param historyUsed how many evaluated candidates the model learnt from (0 when not modelled)
 * @param weights per feature name ({@link ProposalFeatures#NAMES} order), the change in predicted gain per unit of
 *     the feature: what the order rests on, for a page to show; empty when not modelled
 */
public record CandidateRanking(List<Integer> order, List<GainPrediction> predictions, boolean modelled,
                               String reason, int historyUsed, Map<String, Double> weights) {

  public CandidateRanking {
    order = List.copyOf(order);
    predictions = List.copyOf(predictions);
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }
}
