package dev.promptlab.generation.memory;

/**
 * The heap a full decode of an image takes at its peak, estimated from its header before any pixel is decoded:
 * the decoded raster ({@code width × height × bytes per pixel}: 3 for JPEG, 4 for PNG, whose 8-bit RGBA is the
 * common worst case) plus the float planes it is turned into, scaled to fit {@code maxEdge} (four channels of
 * 4 bytes, twice: resized and oriented, plus the resizing weights).
 */
public final class DecodeCost {

  private DecodeCost() {
  }

  public static long of(String contentType, int width, int height, int maxEdge) {
    long pixels = (long) width * height;
    int bytesPerPixel = "image/jpeg".equals(contentType) ? 3 : 4;
    double scale = Math.min(1.0, maxEdge / (double) Math.max(width, height));
    long fitted = Math.round(width * scale) * Math.round(height * scale);
    return pixels * bytesPerPixel + fitted * (2 * 4 * 4 + 4);
  }
}
