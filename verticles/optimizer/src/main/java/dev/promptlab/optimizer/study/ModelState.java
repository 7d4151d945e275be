package dev.promptlab.optimizer.study;

/**
 * What a study keeps between runs besides its observations (which are the source of truth): the last
 * fitted kernel hyperparameters (warm start of the next fit; null before any fit) and how many
 * initial-design points were handed out (so the design continues rather than repeats).
 */
public record ModelState(double[] theta, int designIssued) {

  public ModelState {
    theta = theta == null ? null : theta.clone();
  }

  @Override
  public double[] theta() {
    return theta == null ? null : theta.clone();
  }
}
