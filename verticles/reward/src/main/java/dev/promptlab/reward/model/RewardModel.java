package dev.promptlab.reward.model;

import java.util.List;

/**
 * A trained reward model: input scaling plus a Bayesian ridge regression; predicts a rating (clamped to 1-5) with
 * the standard deviation of a new rating there. Immutable and safe to share between threads.
 */
public final class RewardModel {

  private final ModelInputs inputs;
  private final BayesianRidge regression;

  RewardModel(ModelInputs inputs, BayesianRidge regression) {
    this.inputs = inputs;
    this.regression = regression;
  }

  /** Fits a model on {@code rows} (at least two). */
  public static RewardModel fit(List<RatedVariant> rows) {
    ModelInputs inputs = ModelInputs.fit(rows);
    double[][] x = rows.stream().map(inputs::row).toArray(double[][]::new);
    double[] t = rows.stream().mapToDouble(RatedVariant::rating).toArray();
    return new RewardModel(inputs, BayesianRidge.fit(x, t));
  }

  /** A predicted rating and its uncertainty (one standard deviation, in stars). */
  public record Predicted(double rating, double uncertainty) {
  }

  public Predicted predict(RatedVariant variant) {
    BayesianRidge.Prediction p = regression.predict(inputs.row(variant));
    return new Predicted(Math.max(1, Math.min(5, p.mean())), p.sd());
  }

  public ModelInputs inputs() {
    return inputs;
  }

  public BayesianRidge regression() {
    return regression;
  }
}
