package dev.promptlab.launcher.bench;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.ParameterSpace;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A simulated trainer's hidden taste: a smooth bump over the three sliders (in unit-cube coordinates,
 * one width per slider), its height depending on the API, plus how the trainer reports it — Likert
 * noise (integer ratings 1-5) and a personal bias (a generous or a harsh rater).
 *
 * <p>The true rating is what the optimizer should find (success = a suggestion whose true rating is at
 * least 4); the benchmark never shows it to the server, only the noisy integer ratings.
 *
 * @param family     the taste family it was drawn from
 * @param peak       the best slider setting, unit cube (strength, guidance scale, control weight)
 * @param widths     bump widths per slider, unit cube
 * @param height     the true rating at the peak with the preferred API
 * @param preferred  the preferred API's index, or -1 when both APIs rate alike
 * @param other      the height with the other API when there is a preference (below 4)
 * @param otherPeak  where the other API's bump lies (unit cube), or null when at {@code peak}
 * @param noiseSd    standard deviation of the trainer's noise before rounding
 * @param bias       added to every rating before rounding
 */
public record HiddenTaste(TasteFamily family, double[] peak, double[] widths, double height, int preferred,
                          double other, double[] otherPeak, double noiseSd, double bias) {

  /** Rating far from the peak. */
  static final double FLOOR = 1.5;

  /** The true (noise-free, unbiased) rating of a setting. */
  public double trueRating(GenerationParameters p) {
    double[] u = unit(p);
    int api = ParameterSpace.APIS.indexOf(p.api());
    boolean best = preferred < 0 || api == preferred;
    double[] centre = best || otherPeak == null ? peak : otherPeak;
    double d2 = 0;
    for (int i = 0; i < 3; i++) {
      double z = (u[i] - centre[i]) / widths[i];
      d2 += z * z;
    }
    double top = best ? height : other;
    return FLOOR + (top - FLOOR) * Math.exp(-0.5 * d2);
  }

  /** The integer rating the trainer gives: round(true + bias + noise), clipped to 1-5. */
  public int rate(GenerationParameters p, SplittableRandom random) {
    double noisy = trueRating(p) + bias + noiseSd * gaussian(random);
    return (int) Math.max(1, Math.min(5, Math.round(noisy)));
  }

  /** The slider values of {@code p} in unit-cube coordinates. */
  static double[] unit(GenerationParameters p) {
    return new double[] {
      (p.strength() - ParameterSpace.STRENGTH_MIN) / (ParameterSpace.STRENGTH_MAX - ParameterSpace.STRENGTH_MIN),
      (p.guidanceScale() - ParameterSpace.GUIDANCE_MIN) / (ParameterSpace.GUIDANCE_MAX - ParameterSpace.GUIDANCE_MIN),
      (p.controlWeight() - ParameterSpace.CONTROL_MIN) / (ParameterSpace.CONTROL_MAX - ParameterSpace.CONTROL_MIN)};
  }

  /** A uniformly random setting of the whole space (what random search tries). */
  public static GenerationParameters randomSetting(SplittableRandom random) {
    return new GenerationParameters(ParameterSpace.APIS.get(random.nextInt(ParameterSpace.APIS.size())),
      lerp(ParameterSpace.STRENGTH_MIN, ParameterSpace.STRENGTH_MAX, random.nextDouble()),
      lerp(ParameterSpace.GUIDANCE_MIN, ParameterSpace.GUIDANCE_MAX, random.nextDouble()),
      lerp(ParameterSpace.CONTROL_MIN, ParameterSpace.CONTROL_MAX, random.nextDouble()));
  }

  static double gaussian(SplittableRandom random) {
    // Box-Muller: SplittableRandom has no nextGaussian of its own on Java 17.
    double u = 1.0 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static double lerp(double min, double max, double t) {
    return min + (max - min) * t;
  }

  @Override
  public String toString() {
    String elsewhere = otherPeak == null ? ""
      : String.format(Locale.ROOT, " other-api-peak=(%.2f %.2f %.2f)", otherPeak[0], otherPeak[1], otherPeak[2]);
    return String.format(Locale.ROOT,
      "%s peak=(%.2f %.2f %.2f) w=(%.2f %.2f %.2f) h=%.2f api=%s%s noise=%.2f bias=%+.2f", family.label(),
      peak[0], peak[1], peak[2], widths[0], widths[1], widths[2], height,
      preferred < 0 ? "any" : ParameterSpace.APIS.get(preferred), elsewhere, noiseSd, bias);
  }
}
