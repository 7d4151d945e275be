package dev.promptlab.reward.features;

import boofcv.alg.feature.detect.edge.CannyEdge;
import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.alg.filter.derivative.DerivativeLaplacian;
import boofcv.core.image.border.FactoryImageBorderAlgs;
import boofcv.factory.feature.detect.edge.FactoryEdgeDetectors;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayU8;
import java.awt.image.BufferedImage;

/**
 * How much an enhanced variant keeps its original's structure — a "photorealistic" variant that moved the walls
 * is not an enhancement: SSIM of the two lumas (7×7 windows), the F1 overlap of their Canny edges with one pixel of
 * tolerance, the mean absolute change of luma, and how far the mean colour moved (a new cast; lightness up or
 * down). The variant is resampled onto the original's grid when the provider returned another size. One instance
 * per thread.
 *
 * <p>With the original at hand, some changes can be measured apart from what the picture shows, which the
 * variant's own features cannot do on a real photo (a textured scene looks "noisy", a soft one "blurred"):
 * <ul>
 *   <li>{@code exposure_change}: log2 of the ratio of median lumas, signed (the light turned up or down);</li>
 *   <li>{@code detail_kept}: how much of the original's Laplacian the variant's still carries (its projection on
 *       the original's, per unit of exposure gain) — blur and moved content lower it, added noise does not, being
 *       uncorrelated with the original;</li>
 *   <li>{@code noise_added}: the variant's Laplacian left over after that projection, on the third of the picture
 *       where the original is smoothest, as a standard deviation of luma — grain, apart from texture;</li>
 *   <li>{@code displacement}, {@code displaced_share}: per band of {@value #BAND} rows (and of as many columns),
 *       the shift, up to an eighth of the picture, that best aligns the variant with the original: the mean shift
 *       as a share of the picture's size, and the share of bands that moved.</li>
 * </ul>
 */
public final class StructureComparison {

  static final int PIXELS = 512 * 512;
  private static final int SSIM_RADIUS = 3;
  private static final double C1 = 0.01 * 0.01;
  private static final double C2 = 0.03 * 0.03;
  private static final int QUANTILE_BINS = 4096;
  /** Rows (or columns) per band of the displacement search. */
  static final int BAND = 8;
  /** A band moved when its best shift correlates at least this well ... */
  private static final double MOVED_CORRELATION = 0.5;
  /** ... and this much better than the band in place. */
  private static final double MOVED_GAIN = 0.1;

  private final CannyEdge<GrayF32, GrayF32> canny = FactoryEdgeDetectors.canny(2, false, false, GrayF32.class,
    GrayF32.class);

  public FeatureVector compare(BufferedImage original, BufferedImage variant) {
    ImagePlanes before = ImagePlanes.of(original, PIXELS);
    ImagePlanes after = ImagePlanes.of(variant, PIXELS);
    GrayF32 a = before.luma;
    GrayF32 b = resample(after.luma, a.width, a.height);
    double change = 0;
    for (int i = 0; i < a.data.length; i++) {
      change += Math.abs(a.data[i] - b.data[i]);
    }
    double shiftL = (mean(after.lightness) - mean(before.lightness)) / 100;
    double shiftA = (mean(after.labA) - mean(before.labA)) / 100;
    double shiftB = (mean(after.labB) - mean(before.labB)) / 100;
    double gain = medianGain(a, b);
    double[] detail = detail(a, b, gain);
    double[] horizontal = displacement(a, b, true);
    double[] vertical = displacement(a, b, false);
    return new FeatureVector.Builder()
      .put("ssim", ssim(a, b))
      .put("edge_overlap", edgeOverlap(a, b))
      .put("luma_change", change / a.data.length)
      // How far the whole picture moved in colour: a new cast, or the light turned up or down.
      .put("cast_shift", Math.hypot(shiftA, shiftB))
      .put("lightness_shift", Math.abs(shiftL))
      .put("exposure_change", log2(gain))
      .put("detail_kept", detail[0])
      .put("noise_added", detail[1])
      .put("displacement", horizontal[0] + vertical[0])
      .put("displaced_share", Math.max(horizontal[1], vertical[1]))
      .build(FeatureExtractor.VERSION);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  /** The ratio of the variant's median luma to the original's (kept within 1/64 to 64 for black or white images). */
  static double medianGain(GrayF32 a, GrayF32 b) {
    double ma = Math.max(1.0 / 255, quantile(a.data, 0.5, 1));
    double mb = Math.max(1.0 / 255, quantile(b.data, 0.5, 1));
    return Math.max(1.0 / 64, Math.min(64, mb / ma));
  }

  /**
   * {detail kept, noise added}: the variant's Laplacian projected on the original's (over the whole picture, per
   * unit of {@code gain}), and the standard deviation of luma that the residual of that projection implies on the
   * smoothest third of the original (the 4-neighbour Laplacian of white noise of sd σ has sd σ√20).
   */
  static double[] detail(GrayF32 a, GrayF32 b, double gain) {
    GrayF32 la = new GrayF32(a.width, a.height);
    GrayF32 lb = new GrayF32(b.width, b.height);
    DerivativeLaplacian.process(a, la, FactoryImageBorderAlgs.extend(a));
    DerivativeLaplacian.process(b, lb, FactoryImageBorderAlgs.extend(b));
    double ab = 0;
    double aa = 0;
    for (int i = 0; i < la.data.length; i++) {
      ab += la.data[i] * lb.data[i];
      aa += la.data[i] * la.data[i];
    }
    // A flat original has no detail to lose: all of it is kept.
    double kept = aa < 1e-9 ? 1 : ab / aa / gain;
    GrayF32 activity = new GrayF32(a.width, a.height);
    for (int i = 0; i < la.data.length; i++) {
      activity.data[i] = Math.abs(la.data[i]);
    }
    activity = BlurImageOps.mean(activity, null, 2, null, null);
    float most = 0;
    for (float v : activity.data) {
      most = Math.max(most, v);
    }
    float threshold = (float) quantile(activity.data, 1.0 / 3, most);
    double smoothAb = 0;
    double smoothAa = 0;
    double smoothBb = 0;
    int count = 0;
    for (int i = 0; i < la.data.length; i++) {
      if (activity.data[i] <= threshold) {
        smoothAb += la.data[i] * lb.data[i];
        smoothAa += la.data[i] * la.data[i];
        smoothBb += lb.data[i] * lb.data[i];
        count++;
      }
    }
    double residual = smoothBb - (smoothAa < 1e-12 ? 0 : smoothAb * smoothAb / smoothAa);
    double noise = count == 0 ? 0 : Math.sqrt(Math.max(0, residual) / count / 20);
    return new double[] {kept, noise};
  }

  /**
   * The {@code q} quantile of values in [0, {@code max}], to 1/{@value #QUANTILE_BINS} of {@code max}: counted in a
   * histogram, which costs one pass where sorting a quarter of a million values costs many.
   */
  static double quantile(float[] values, double q, double max) {
    if (max <= 0) {
      return 0;
    }
    int[] counts = new int[QUANTILE_BINS];
    for (float v : values) {
      counts[(int) Math.max(0, Math.min(QUANTILE_BINS - 1, v / max * QUANTILE_BINS))]++;
    }
    int bin = Histograms.binReaching(counts, Math.max(1, (long) Math.ceil(q * values.length)));
    return bin < 0 ? max : (bin + 0.5) * max / QUANTILE_BINS;
  }

  /**
   * {mean shift as a share of the size, share of bands moved} over bands of {@value #BAND} rows ({@code rows}) or
   * columns: for each, the shift along the band (up to an eighth of its length) whose normalised correlation of the
   * variant with the original is highest. A band counts as moved only when that correlation is clearly there and
   * clearly better than in place, so a flat or noisy band (sky, a wall) does not read as displaced.
   */
  static double[] displacement(GrayF32 a, GrayF32 b, boolean rows) {
    int length = rows ? a.width : a.height;
    int across = rows ? a.height : a.width;
    int maxShift = length / 8;
    int bands = across / BAND;
    if (maxShift < 1 || bands == 0) {
      return new double[] {0, 0};
    }
    double shiftSum = 0;
    int moved = 0;
    float[] o = new float[BAND * length];
    float[] v = new float[BAND * length];
    for (int band = 0; band < bands; band++) {
      for (int k = 0; k < BAND; k++) {
        for (int t = 0; t < length; t++) {
          int x = rows ? t : band * BAND + k;
          int y = rows ? band * BAND + k : t;
          o[k * length + t] = a.unsafe_get(x, y);
          v[k * length + t] = b.unsafe_get(x, y);
        }
      }
      centre(o);
      centre(v);
      double oo = energy(o, length, maxShift);
      double inPlace = correlation(o, v, length, maxShift, 0, oo);
      double best = inPlace;
      int bestShift = 0;
      // Every second shift, then the two beside the best: a photo's correlation peak is wider than a pixel.
      for (int shift = -maxShift + (maxShift % 2); shift <= maxShift; shift += 2) {
        double c = shift == 0 ? inPlace : correlation(o, v, length, maxShift, shift, oo);
        if (c > best) {
          best = c;
          bestShift = shift;
        }
      }
      int coarse = bestShift;
      for (int shift = coarse - 1; shift <= coarse + 1; shift += 2) {
        if (Math.abs(shift) <= maxShift) {
          double c = correlation(o, v, length, maxShift, shift, oo);
          if (c > best) {
            best = c;
            bestShift = shift;
          }
        }
      }
      if (bestShift != 0 && best > MOVED_CORRELATION && best - inPlace > MOVED_GAIN) {
        shiftSum += Math.abs(bestShift) / (double) length;
        moved++;
      }
    }
    return new double[] {shiftSum / bands, moved / (double) bands};
  }

  private static void centre(float[] values) {
    double sum = 0;
    for (float x : values) {
      sum += x;
    }
    float mean = (float) (sum / values.length);
    for (int i = 0; i < values.length; i++) {
      values[i] -= mean;
    }
  }

  /** Σ o² over the original's window [maxShift, length - maxShift), the same for every shift of the variant. */
  private static double energy(float[] o, int length, int maxShift) {
    double oo = 0;
    for (int k = 0; k < BAND; k++) {
      int row = k * length;
      for (int t = maxShift; t < length - maxShift; t++) {
        float x = o[row + t];
        oo += x * x;
      }
    }
    return oo;
  }

  /** Normalised correlation of the original's window (of energy {@code oo}) with the variant's, shifted. */
  private static double correlation(float[] o, float[] v, int length, int maxShift, int shift, double oo) {
    double ov = 0;
    double vv = 0;
    for (int k = 0; k < BAND; k++) {
      int row = k * length;
      for (int t = maxShift; t < length - maxShift; t++) {
        float x = o[row + t];
        float y = v[row + t + shift];
        ov += x * y;
        vv += y * y;
      }
    }
    return oo < 1e-12 || vv < 1e-12 ? 0 : ov / Math.sqrt(oo * vv);
  }


  private static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** Bilinear resampling onto a {@code width} × {@code height} grid (a copy when the size already matches). */
  static GrayF32 resample(GrayF32 in, int width, int height) {
    if (in.width == width && in.height == height) {
      return in;
    }
    GrayF32 out = new GrayF32(width, height);
    double sx = (double) in.width / width;
    double sy = (double) in.height / height;
    for (int y = 0; y < height; y++) {
      double fy = Math.max(0, Math.min(in.height - 1, (y + 0.5) * sy - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(in.height - 1, y0 + 1);
      double ty = fy - y0;
      for (int x = 0; x < width; x++) {
        double fx = Math.max(0, Math.min(in.width - 1, (x + 0.5) * sx - 0.5));
        int x0 = (int) fx;
        int x1 = Math.min(in.width - 1, x0 + 1);
        double tx = fx - x0;
        double top = in.get(x0, y0) * (1 - tx) + in.get(x1, y0) * tx;
        double bottom = in.get(x0, y1) * (1 - tx) + in.get(x1, y1) * tx;
        out.set(x, y, (float) (top * (1 - ty) + bottom * ty));
      }
    }
    return out;
  }

  /** Mean SSIM (Wang et al. 2004) with box windows, for luma in 0-1. */
  static double ssim(GrayF32 a, GrayF32 b) {
    int w = a.width;
    int h = a.height;
    GrayF32 aa = new GrayF32(w, h);
    GrayF32 bb = new GrayF32(w, h);
    GrayF32 ab = new GrayF32(w, h);
    for (int i = 0; i < a.data.length; i++) {
      aa.data[i] = a.data[i] * a.data[i];
      bb.data[i] = b.data[i] * b.data[i];
      ab.data[i] = a.data[i] * b.data[i];
    }
    GrayF32 muA = BlurImageOps.mean(a, null, SSIM_RADIUS, null, null);
    GrayF32 muB = BlurImageOps.mean(b, null, SSIM_RADIUS, null, null);
    GrayF32 eAA = BlurImageOps.mean(aa, null, SSIM_RADIUS, null, null);
    GrayF32 eBB = BlurImageOps.mean(bb, null, SSIM_RADIUS, null, null);
    GrayF32 eAB = BlurImageOps.mean(ab, null, SSIM_RADIUS, null, null);
    double sum = 0;
    for (int i = 0; i < a.data.length; i++) {
      double ma = muA.data[i];
      double mb = muB.data[i];
      double va = Math.max(0, eAA.data[i] - ma * ma);
      double vb = Math.max(0, eBB.data[i] - mb * mb);
      double cov = eAB.data[i] - ma * mb;
      sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
    }
    return sum / a.data.length;
  }

  private double edgeOverlap(GrayF32 a, GrayF32 b) {
    GrayU8 edgesA = new GrayU8(a.width, a.height);
    GrayU8 edgesB = new GrayU8(b.width, b.height);
    canny.process(a, FeatureExtractor.CANNY_LOW, FeatureExtractor.CANNY_HIGH, edgesA);
    canny.process(b, FeatureExtractor.CANNY_LOW, FeatureExtractor.CANNY_HIGH, edgesB);
    return overlap(edgesA, edgesB);
  }

  /** F1 of two edge maps, a pixel counting as matched when the other map has an edge within one pixel. */
  static double overlap(GrayU8 a, GrayU8 b) {
    int[] countA = {0};
    int[] countB = {0};
    int matchedA = matched(a, b, countA);
    int matchedB = matched(b, a, countB);
    if (countA[0] == 0 && countB[0] == 0) {
      return 1.0;
    }
    if (countA[0] == 0 || countB[0] == 0) {
      return 0.0;
    }
    double recall = matchedA / (double) countA[0];
    double precision = matchedB / (double) countB[0];
    return recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision);
  }

  private static int matched(GrayU8 from, GrayU8 to, int[] count) {
    int matched = 0;
    for (int y = 0; y < from.height; y++) {
      for (int x = 0; x < from.width; x++) {
        if (from.get(x, y) == 0) {
          continue;
        }
        count[0]++;
        if (near(to, x, y)) {
          matched++;
        }
      }
    }
    return matched;
  }

  private static boolean near(GrayU8 map, int x, int y) {
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int nx = x + dx;
        int ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < map.width && ny < map.height && map.get(nx, ny) != 0) {
          return true;
        }
      }
    }
    return false;
  }
}
