package dev.promptlab.evolution.abtest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The A/B decision rule. Ratings are noisy and the arms are small, so the candidate replaces the current
 * version only when all of these hold:
 * <ol>
 *   <li>each arm has at least {@code samplesPerArm} rated samples;</li>
 *   <li>the candidate's mean is higher by at least {@code minMargin} stars;</li>
 *   <li>the probability that the candidate's true mean is higher, P(candidate &gt; control), is at least
 *       {@code minProbability}. It is computed with a normal approximation of the difference of the two means
 *       (flat priors): z = (mean_c − mean_k) / sqrt(s_c²/n_c + s_k²/n_k), P = Φ(z), where each arm's standard
 *       deviation is floored at {@code minSd} so a few identical ratings cannot claim certainty.</li>
 * </ol>
 * Otherwise the current version is kept ("when in doubt, keep the incumbent"). With the defaults (5 per arm,
 * margin 0.25, P ≥ 0.8, sd floor 0.5) and a typical rating spread of 1 star, the candidate needs a lead of
 * about half a star to win.
 */
public final class AbTestDecision {

  public enum Outcome { PROMOTE, KEEP }

  /** The rule's parameters. */
  public record Rule(int samplesPerArm, double minMargin, double minProbability, double minSd) {
  }

  /** The verdict with every figure it rests on. */
  public record Verdict(Outcome outcome, String reason, Map<String, Object> statistics) {
  }

  private AbTestDecision() {
  }

  /** True once both arms have enough rated samples for a decision. */
  public static boolean complete(Rule rule, ArmTally control, ArmTally candidate) {
    return control.count() >= rule.samplesPerArm() && candidate.count() >= rule.samplesPerArm();
  }

  public static Verdict decide(Rule rule, ArmTally control, ArmTally candidate) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("control", arm(control));
    stats.put("candidate", arm(candidate));
    Map<String, Object> ruleFigures = new LinkedHashMap<>();
    ruleFigures.put("samples_per_arm", rule.samplesPerArm());
    ruleFigures.put("min_margin", rule.minMargin());
    ruleFigures.put("min_probability", rule.minProbability());
    ruleFigures.put("min_sd", rule.minSd());
    stats.put("rule", ruleFigures);
    if (!complete(rule, control, candidate)) {
      stats.put("difference", null);
      stats.put("probability_candidate_better", null);
      return new Verdict(Outcome.KEEP, "not enough rated samples (control " + control.count() + ", candidate "
        + candidate.count() + ", " + rule.samplesPerArm() + " needed per arm): keeping the current version", stats);
    }
    double difference = candidate.mean() - control.mean();
    double se = Math.sqrt(variance(rule, control) / control.count() + variance(rule, candidate) / candidate.count());
    double probability = standardNormalCdf(difference / se);
    stats.put("difference", round(difference));
    stats.put("standard_error", round(se));
    stats.put("probability_candidate_better", round(probability));
    if (difference >= rule.minMargin() - 1e-12 && probability >= rule.minProbability()) {
      return new Verdict(Outcome.PROMOTE, String.format(Locale.ROOT,
        "candidate ahead by %.2f stars (margin %.2f) with P(candidate better) = %.2f ≥ %.2f", difference,
        rule.minMargin(), probability, rule.minProbability()), stats);
    }
    String why = difference < rule.minMargin() - 1e-12
      ? String.format(Locale.ROOT, "difference %.2f is below the margin %.2f", difference, rule.minMargin())
      : String.format(Locale.ROOT, "P(candidate better) = %.2f is below %.2f: not enough evidence",
        probability, rule.minProbability());
    return new Verdict(Outcome.KEEP, why + ": keeping the current version", stats);
  }

  private static double variance(Rule rule, ArmTally arm) {
    Double sd = arm.standardDeviation();
    double floor = rule.minSd();
    double value = sd == null ? floor : Math.max(sd, floor);
    return value * value;
  }

  private static Map<String, Object> arm(ArmTally tally) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("count", tally.count());
    figures.put("mean", tally.mean() == null ? null : round(tally.mean()));
    figures.put("sd", tally.standardDeviation() == null ? null : round(tally.standardDeviation()));
    return figures;
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  /** Φ(x) via the Abramowitz–Stegun 7.1.26 approximation of erf (absolute error below 1.5e-7). */
  static double standardNormalCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * z);
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double erf = 1 - poly * Math.exp(-z * z);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }
}
