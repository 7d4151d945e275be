package dev.promptlab.launcher.bench;

import java.util.SplittableRandom;

/**
 * Families of hidden tastes: where the peak lies (centre, off-centre, on a face or edge of the box, in a
 * corner), how broad it is, whether one API is clearly better, and whether the other API's best sliders lie
 * elsewhere. Within a family each taste is drawn from a seed: its exact peak, per-slider widths, height, preferred
 * API, noise level and bias.
 */
public enum TasteFamily {
  CENTRE_BROAD("centre-broad", Location.CENTRE, 0.30, false),
  OFFCENTRE_BROAD_API("offcentre-broad-api", Location.OFF_CENTRE, 0.30, true),
  EDGE_BROAD_API("edge-broad-api", Location.EDGE, 0.30, true),
  CORNER_BROAD("corner-broad", Location.CORNER, 0.30, false),
  OFFCENTRE_NARROW("offcentre-narrow", Location.OFF_CENTRE, 0.18, false),
  EDGE_NARROW_API("edge-narrow-api", Location.EDGE, 0.22, true),
  /** The other API has a bump of its own elsewhere (lower, below 4): the APIs' best sliders differ. */
  APART_API("apart-api", Location.OFF_CENTRE, 0.30, true);

  private enum Location { CENTRE, OFF_CENTRE, EDGE, CORNER }

  private final String label;
  private final Location location;
  private final double width;
  private final boolean apiPreference;

  TasteFamily(String label, Location location, double width, boolean apiPreference) {
    this.label = label;
    this.location = location;
    this.width = width;
    this.apiPreference = apiPreference;
  }

  public String label() {
    return label;
  }

  /** The family's taste number {@code index} for benchmark seed {@code seed}. */
  public HiddenTaste draw(long seed, int index) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + ordinal() * 7919L + index);
    double[] peak = new double[3];
    switch (location) {
      case CENTRE -> {
        for (int i = 0; i < 3; i++) {
          peak[i] = 0.4 + 0.2 * r.nextDouble();
        }
      }
      case OFF_CENTRE -> {
        for (int i = 0; i < 3; i++) {
          double t = 0.1 + 0.2 * r.nextDouble();
          peak[i] = r.nextBoolean() ? t : 1 - t;
        }
      }
      case EDGE -> {
        // One or two sliders at a bound, the others inside.
        int atBound = 1 + r.nextInt(2);
        int skip = r.nextInt(3);
        for (int i = 0; i < 3; i++) {
          boolean bound = atBound == 1 ? i == skip : i != skip;
          double t = bound ? 0.05 * r.nextDouble() : 0.2 + 0.3 * r.nextDouble();
          peak[i] = r.nextBoolean() ? t : 1 - t;
        }
      }
      case CORNER -> {
        for (int i = 0; i < 3; i++) {
          double t = 0.08 * r.nextDouble();
          peak[i] = r.nextBoolean() ? t : 1 - t;
        }
      }
      default -> throw new IllegalStateException();
    }
    double[] widths = new double[3];
    for (int i = 0; i < 3; i++) {
      widths[i] = width * (0.75 + 0.5 * r.nextDouble());
    }
    double height = 4.5 + 0.5 * r.nextDouble();
    int preferred = apiPreference ? r.nextInt(2) : -1;
    double other = 3.0 + 0.6 * r.nextDouble();
    double noise = index % 2 == 0 ? 0.5 : 0.8;
    double bias = -0.5 + r.nextDouble();
    double[] otherPeak = null;
    if (this == APART_API) {
      // Anywhere at least half the box's diagonal away from the preferred API's peak, inside the box.
      do {
        otherPeak = new double[] {0.1 + 0.8 * r.nextDouble(), 0.1 + 0.8 * r.nextDouble(), 0.1 + 0.8 * r.nextDouble()};
      } while (distance(otherPeak, peak) < 0.5);
    }
    return new HiddenTaste(this, peak, widths, height, preferred, other, otherPeak, noise, bias);
  }

  private static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }
}
