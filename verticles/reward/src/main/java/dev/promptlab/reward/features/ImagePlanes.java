package dev.promptlab.reward.features;

import boofcv.struct.image.GrayF32;
import java.awt.image.BufferedImage;

/**
 * An image as the features read it: sRGB in 0-1, CIE Lab (D65) and luma, at most {@code maxPixels} pixels (a
 * larger image is reduced by averaging square blocks, so every feature costs the same on any upload).
 */
final class ImagePlanes {

  /** sRGB component (0-255) to linear light, once for all 256 values. */
  private static final double[] LINEAR = new double[256];
  /** Lab's f(t) on [0, 1] at {@link #F_STEPS} + 1 points, interpolated: a cube root per channel costs too much. */
  private static final int F_STEPS = 4096;
  private static final double[] F = new double[F_STEPS + 2];

  static {
    for (int i = 0; i < 256; i++) {
      double c = i / 255.0;
      LINEAR[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
    for (int i = 0; i < F.length; i++) {
      F[i] = exactLabF(i / (double) F_STEPS);
    }
  }

  final int width;
  final int height;
  final float[] red;
  final float[] green;
  final float[] blue;
  final float[] lightness;
  final float[] labA;
  final float[] labB;
  final GrayF32 luma;

  private ImagePlanes(int width, int height) {
    this.width = width;
    this.height = height;
    int n = width * height;
    red = new float[n];
    green = new float[n];
    blue = new float[n];
    lightness = new float[n];
    labA = new float[n];
    labB = new float[n];
    luma = new GrayF32(width, height);
  }

  int pixels() {
    return width * height;
  }

  static ImagePlanes of(BufferedImage image, int maxPixels) {
    int w = image.getWidth();
    int h = image.getHeight();
    int factor = (int) Math.max(1, Math.ceil(Math.sqrt((double) w * h / maxPixels)));
    int outW = Math.max(1, w / factor);
    int outH = Math.max(1, h / factor);
    ImagePlanes planes = new ImagePlanes(outW, outH);
    int[] row = new int[w];
    double[] sumR = new double[outW];
    double[] sumG = new double[outW];
    double[] sumB = new double[outW];
    double block = (double) factor * factor;
    for (int oy = 0; oy < outH; oy++) {
      java.util.Arrays.fill(sumR, 0);
      java.util.Arrays.fill(sumG, 0);
      java.util.Arrays.fill(sumB, 0);
      for (int dy = 0; dy < factor; dy++) {
        image.getRGB(0, oy * factor + dy, w, 1, row, 0, w);
        for (int ox = 0; ox < outW; ox++) {
          for (int dx = 0; dx < factor; dx++) {
            int argb = row[ox * factor + dx];
            sumR[ox] += (argb >> 16) & 0xff;
            sumG[ox] += (argb >> 8) & 0xff;
            sumB[ox] += argb & 0xff;
          }
        }
      }
      for (int ox = 0; ox < outW; ox++) {
        planes.set(oy * outW + ox, sumR[ox] / block, sumG[ox] / block, sumB[ox] / block);
      }
    }
    return planes;
  }

  /** One pixel from its sRGB components in 0-255 (averages of blocks, hence not integers). */
  private void set(int index, double r255, double g255, double b255) {
    red[index] = (float) (r255 / 255.0);
    green[index] = (float) (g255 / 255.0);
    blue[index] = (float) (b255 / 255.0);
    double r = linear(r255);
    double g = linear(g255);
    double b = linear(b255);
    // sRGB (D65) to XYZ, relative to the D65 white.
    double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    double fx = labF(x);
    double fy = labF(y);
    double fz = labF(z);
    lightness[index] = (float) (116 * fy - 16);
    labA[index] = (float) (500 * (fx - fy));
    labB[index] = (float) (200 * (fy - fz));
    luma.data[index] = (float) (0.299 * red[index] + 0.587 * green[index] + 0.114 * blue[index]);
  }

  private static double linear(double c255) {
    int low = (int) c255;
    if (low == c255) {
      return LINEAR[low];
    }
    if (low >= 255) {
      return LINEAR[255];
    }
    double t = c255 - low;
    return LINEAR[low] * (1 - t) + LINEAR[low + 1] * t;
  }

  private static double labF(double t) {
    if (t < 0 || t > 1) {
      return exactLabF(t);
    }
    double position = t * F_STEPS;
    int low = (int) position;
    double frac = position - low;
    return F[low] * (1 - frac) + F[low + 1] * frac;
  }

  private static double exactLabF(double t) {
    return t > 216.0 / 24389.0 ? Math.cbrt(t) : (24389.0 / 27.0 * t + 16) / 116.0;
  }
}
