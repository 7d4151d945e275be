package dev.promptlab.reward.features;

import boofcv.alg.feature.detect.edge.CannyEdge;
import boofcv.alg.filter.blur.BlurImageOps;
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
 */
public final class StructureComparison {

  static final int PIXELS = 512 * 512;
  private static final int SSIM_RADIUS = 3;
  private static final double C1 = 0.01 * 0.01;
  private static final double C2 = 0.03 * 0.03;

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
    return new FeatureVector.Builder()
      .put("ssim", ssim(a, b))
      .put("edge_overlap", edgeOverlap(a, b))
      .put("luma_change", change / a.data.length)
      // How far the whole picture moved in colour: a new cast, or the light turned up or down.
      .put("cast_shift", Math.hypot(shiftA, shiftB))
      .put("lightness_shift", Math.abs(shiftL))
      .build(FeatureExtractor.VERSION);
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
