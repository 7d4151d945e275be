package dev.promptlab.generation.image;

/** Separable box blurs with clamped edges; three passes approximate a Gaussian. Cost is independent of radius. */
final class Blur {

  private Blur() {
  }

  /** A box blur of {@code src} into a new array. */
  static float[] box(float[] src, int width, int height, int radius) {
    float[] tmp = new float[src.length];
    float[] dst = new float[src.length];
    horizontal(src, tmp, width, height, radius);
    vertical(tmp, dst, width, height, radius);
    return dst;
  }

  /** Three box passes: close to a Gaussian with sigma ≈ radius. */
  static float[] gaussian(float[] src, int width, int height, int radius) {
    float[] a = new float[src.length];
    float[] b = new float[src.length];
    horizontal(src, a, width, height, radius);
    vertical(a, b, width, height, radius);
    horizontal(b, a, width, height, radius);
    vertical(a, b, width, height, radius);
    horizontal(b, a, width, height, radius);
    vertical(a, b, width, height, radius);
    return b;
  }

  private static void horizontal(float[] src, float[] dst, int w, int h, int r) {
    float inv = 1f / (2 * r + 1);
    for (int y = 0; y < h; y++) {
      int row = y * w;
      float sum = 0f;
      for (int i = -r; i <= r; i++) {
        sum += src[row + clamp(i, w)];
      }
      for (int x = 0; x < w; x++) {
        dst[row + x] = sum * inv;
        sum += src[row + Math.min(x + r + 1, w - 1)] - src[row + Math.max(x - r, 0)];
      }
    }
  }

  // Walks rows rather than columns so memory is read sequentially; one running sum per column.
  private static void vertical(float[] src, float[] dst, int w, int h, int r) {
    float inv = 1f / (2 * r + 1);
    float[] sums = new float[w];
    for (int i = -r; i <= r; i++) {
      int row = clamp(i, h) * w;
      for (int x = 0; x < w; x++) {
        sums[x] += src[row + x];
      }
    }
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        dst[row + x] = sums[x] * inv;
      }
      int add = Math.min(y + r + 1, h - 1) * w;
      int remove = Math.max(y - r, 0) * w;
      for (int x = 0; x < w; x++) {
        sums[x] += src[add + x] - src[remove + x];
      }
    }
  }

  private static int clamp(int i, int size) {
    return i < 0 ? 0 : Math.min(i, size - 1);
  }
}
