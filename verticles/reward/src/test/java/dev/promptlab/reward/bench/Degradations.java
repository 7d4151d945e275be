package dev.promptlab.reward.bench;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * An "enhanced" variant made along known axes, each in 0-1 (0: untouched): blur, noise, a colour cast, an exposure
 * error (signed: -1 dark to +1 blown out) and structure loss (part of the picture displaced, as a generator that
 * redraws the room does). The hidden taste of the benchmark is a function of these levels.
 */
record Degradations(double blur, double noise, double cast, double exposure, double structure) {

  static Degradations random(Random random) {
    // Many variants are nearly clean and few are ruined, as with a real provider.
    return new Degradations(skewed(random), skewed(random), skewed(random), (random.nextDouble() * 2 - 1)
      * random.nextDouble(), skewed(random));
  }

  private static double skewed(Random random) {
    double u = random.nextDouble();
    return u * u;
  }

  BufferedImage apply(BufferedImage original, Random random) {
    int w = original.getWidth();
    int h = original.getHeight();
    float[][] rgb = new float[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = original.getRGB(x, y);
        rgb[0][y * w + x] = ((p >> 16) & 0xff) / 255f;
        rgb[1][y * w + x] = ((p >> 8) & 0xff) / 255f;
        rgb[2][y * w + x] = (p & 0xff) / 255f;
      }
    }
    if (structure > 0.02) {
      displace(rgb, w, h, random);
    }
    double sigma = 4.0 * blur;
    if (sigma > 0.3) {
      for (float[] plane : rgb) {
        gaussian(plane, w, h, sigma);
      }
    }
    double angle = random.nextDouble() * 2 * Math.PI;
    double[] castShift = {0.12 * cast * Math.cos(angle), 0.12 * cast * Math.cos(angle + 2.1),
      0.12 * cast * Math.cos(angle + 4.2)};
    double gain = Math.pow(2, 1.6 * exposure);
    double noiseSd = 0.09 * noise;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < w * h; i++) {
      int[] c = new int[3];
      double grain = noiseSd * random.nextGaussian();
      for (int k = 0; k < 3; k++) {
        double v = rgb[k][i] * gain + castShift[k] + grain + 0.35 * noiseSd * random.nextGaussian();
        c[k] = (int) Math.max(0, Math.min(255, Math.round(v * 255)));
      }
      out.setRGB(i % w, i / w, (c[0] << 16) | (c[1] << 8) | c[2]);
    }
    return out;
  }

  /** Moves a band of the picture sideways, by up to a tenth of its width, over a share of its height. */
  private void displace(float[][] rgb, int w, int h, Random random) {
    int band = (int) (h * (0.2 + 0.6 * structure));
    int top = random.nextInt(Math.max(1, h - band));
    int shift = (int) Math.max(1, w * 0.1 * structure) * (random.nextBoolean() ? 1 : -1);
    for (float[] plane : rgb) {
      float[] row = new float[w];
      for (int y = top; y < top + band; y++) {
        System.arraycopy(plane, y * w, row, 0, w);
        for (int x = 0; x < w; x++) {
          plane[y * w + x] = row[Math.floorMod(x - shift, w)];
        }
      }
    }
  }

  private static void gaussian(float[] plane, int w, int h, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    float[] kernel = new float[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= (float) sum;
    }
    float[] tmp = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int k = -radius; k <= radius; k++) {
          acc += kernel[k + radius] * plane[y * w + Math.max(0, Math.min(w - 1, x + k))];
        }
        tmp[y * w + x] = (float) acc;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int k = -radius; k <= radius; k++) {
          acc += kernel[k + radius] * tmp[Math.max(0, Math.min(h - 1, y + k)) * w + x];
        }
        plane[y * w + x] = (float) acc;
      }
    }
  }
}
