package dev.promptlab.generation.image;

import java.awt.image.BufferedImage;

/**
 * An image as separate float channels in [0, 1], row-major. {@code alpha} is null for opaque images.
 * Colour channels are straight (not premultiplied) except transiently inside {@link #resizedToFit}.
 */
final class Planes {

  final int width;
  final int height;
  final float[] r;
  final float[] g;
  final float[] b;
  final float[] alpha;

  Planes(int width, int height, boolean withAlpha) {
    this(width, height, new float[width * height], new float[width * height], new float[width * height],
      withAlpha ? new float[width * height] : null);
  }

  Planes(int width, int height, float[] r, float[] g, float[] b, float[] alpha) {
    this.width = width;
    this.height = height;
    this.r = r;
    this.g = g;
    this.b = b;
    this.alpha = alpha;
  }

  int size() {
    return width * height;
  }

  boolean hasAlpha() {
    return alpha != null;
  }

  static Planes of(BufferedImage image) {
    boolean withAlpha = image.getColorModel().hasAlpha();
    int w = image.getWidth();
    int h = image.getHeight();
    Planes planes = new Planes(w, h, withAlpha);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      planes.setRow(y, row);
    }
    return planes;
  }

  private void setRow(int y, int[] argb) {
    int base = y * width;
    for (int x = 0; x < width; x++) {
      int p = argb[x];
      r[base + x] = ((p >>> 16) & 0xFF) / 255f;
      g[base + x] = ((p >>> 8) & 0xFF) / 255f;
      b[base + x] = (p & 0xFF) / 255f;
      if (alpha != null) {
        alpha[base + x] = (p >>> 24) / 255f;
      }
    }
  }

  BufferedImage toImage() {
    BufferedImage image = new BufferedImage(width, height,
      alpha != null ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      int base = y * width;
      for (int x = 0; x < width; x++) {
        int i = base + x;
        int a = alpha != null ? to8(alpha[i]) : 0xFF;
        row[x] = a << 24 | to8(r[i]) << 16 | to8(g[i]) << 8 | to8(b[i]);
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return image;
  }

  private static int to8(float v) {
    int q = Math.round(v * 255f);
    return q < 0 ? 0 : Math.min(q, 255);
  }

  /**
   * Reads {@code image} scaled to fit within {@code maxEdge} pixels on its longer side (never enlarged),
   * averaging every source pixel that falls into a target pixel. Reads the source one row at a time so
   * that a large decoded image is not copied whole. Averaging is done on alpha-premultiplied colour so
   * transparent pixels do not darken edges.
   */
  static Planes resizedToFit(BufferedImage image, int maxEdge) {
    int sw = image.getWidth();
    int sh = image.getHeight();
    int longer = Math.max(sw, sh);
    if (longer <= maxEdge) {
      return of(image);
    }
    double scale = (double) maxEdge / longer;
    int tw = Math.max(1, (int) Math.round(sw * scale));
    int th = Math.max(1, (int) Math.round(sh * scale));
    boolean withAlpha = image.getColorModel().hasAlpha();
    Planes out = new Planes(tw, th, withAlpha);
    float[] weight = new float[tw * th];
    float[] colWeightLo = new float[sw];
    int[] colTarget = new int[sw];
    // Each source column spreads over at most two target columns; precompute the split.
    for (int x = 0; x < sw; x++) {
      double start = x * (double) tw / sw;
      double end = (x + 1) * (double) tw / sw;
      int t = (int) Math.floor(start);
      colTarget[x] = Math.min(t, tw - 1);
      double boundary = t + 1;
      colWeightLo[x] = end <= boundary ? 1f : (float) ((boundary - start) / (end - start));
    }
    int[] row = new int[sw];
    for (int y = 0; y < sh; y++) {
      image.getRGB(0, y, sw, 1, row, 0, sw);
      double start = y * (double) th / sh;
      double end = (y + 1) * (double) th / sh;
      int ty = Math.min((int) Math.floor(start), th - 1);
      double boundary = ty + 1;
      float rowLo = end <= boundary ? 1f : (float) ((boundary - start) / (end - start));
      for (int x = 0; x < sw; x++) {
        int p = row[x];
        float a = withAlpha ? (p >>> 24) / 255f : 1f;
        float cr = ((p >>> 16) & 0xFF) / 255f * a;
        float cg = ((p >>> 8) & 0xFF) / 255f * a;
        float cb = (p & 0xFF) / 255f * a;
        int tx = colTarget[x];
        float colLo = colWeightLo[x];
        out.accumulate(ty, tx, rowLo * colLo, cr, cg, cb, a, weight);
        if (colLo < 1f && tx + 1 < tw) {
          out.accumulate(ty, tx + 1, rowLo * (1f - colLo), cr, cg, cb, a, weight);
        }
        if (rowLo < 1f && ty + 1 < th) {
          out.accumulate(ty + 1, tx, (1f - rowLo) * colLo, cr, cg, cb, a, weight);
          if (colLo < 1f && tx + 1 < tw) {
            out.accumulate(ty + 1, tx + 1, (1f - rowLo) * (1f - colLo), cr, cg, cb, a, weight);
          }
        }
      }
    }
    for (int i = 0; i < out.size(); i++) {
      float w = weight[i];
      if (w <= 0f) {
        continue;
      }
      float a = withAlpha ? out.alpha[i] / w : 1f;
      // Premultiplied sums divided by the summed alpha give straight colour.
      float divisor = withAlpha ? out.alpha[i] : w;
      if (divisor > 0f) {
        out.r[i] /= divisor;
        out.g[i] /= divisor;
        out.b[i] /= divisor;
      }
      if (withAlpha) {
        out.alpha[i] = a;
      }
    }
    return out;
  }

  private void accumulate(int y, int x, float w, float cr, float cg, float cb, float a, float[] weight) {
    int i = y * width + x;
    r[i] += w * cr;
    g[i] += w * cg;
    b[i] += w * cb;
    if (alpha != null) {
      alpha[i] += w * a;
    }
    weight[i] += w;
  }

  /** The rectangle {@code [x, x + w) × [y, y + h)} of this image. */
  Planes cropped(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException("crop outside the image");
    }
    Planes out = new Planes(w, h, alpha != null);
    for (int row = 0; row < h; row++) {
      int src = (y + row) * width + x;
      int dst = row * w;
      System.arraycopy(r, src, out.r, dst, w);
      System.arraycopy(g, src, out.g, dst, w);
      System.arraycopy(b, src, out.b, dst, w);
      if (alpha != null) {
        System.arraycopy(alpha, src, out.alpha, dst, w);
      }
    }
    return out;
  }

  /** The image turned upright according to an EXIF orientation value (1–8). */
  Planes oriented(int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return this;
    }
    boolean swap = ExifOrientation.swapsDimensions(orientation);
    int ow = swap ? height : width;
    int oh = swap ? width : height;
    Planes out = new Planes(ow, oh, alpha != null);
    int w = width;
    int h = height;
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; }
        }
        int src = sy * w + sx;
        int dst = y * ow + x;
        out.r[dst] = r[src];
        out.g[dst] = g[src];
        out.b[dst] = b[src];
        if (alpha != null) {
          out.alpha[dst] = alpha[src];
        }
      }
    }
    return out;
  }
}
