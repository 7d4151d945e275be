package dev.promptlab.generation.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LocalEnhancerTest {

  private static final Planes SCENE = Planes.of(TestImages.interior(480, 320, false));
  private final LocalEnhancer enhancer = new LocalEnhancer(2048);

  private static EnhancementParameters params(double strength, double guidance, double control, long seed) {
    return new EnhancementParameters(strength, guidance, control, seed,
      "photorealistic interior, natural light", "cartoon, blurry");
  }

  @Test
  void strengthMovesTheImageFurtherFromTheOriginal() {
    double low = meanAbsoluteDifference(SCENE, enhancer.enhance(SCENE, params(0.1, 8, 0.85, 1)));
    double mid = meanAbsoluteDifference(SCENE, enhancer.enhance(SCENE, params(0.3, 8, 0.85, 1)));
    double high = meanAbsoluteDifference(SCENE, enhancer.enhance(SCENE, params(0.5, 8, 0.85, 1)));
    assertTrue(low > 0.004, "even the lowest strength changes the image: " + low);
    assertTrue(mid > low * 2, "strength 0.3 vs 0.1: " + mid + " vs " + low);
    assertTrue(high > mid * 1.4, "strength 0.5 vs 0.3: " + high + " vs " + mid);
  }

  @Test
  void guidanceScaleRaisesSharpnessAndContrast() {
    Planes soft = enhancer.enhance(SCENE, params(0.4, 5, 0.9, 1));
    Planes mid = enhancer.enhance(SCENE, params(0.4, 8.5, 0.9, 1));
    Planes hard = enhancer.enhance(SCENE, params(0.4, 12, 0.9, 1));
    double softEdges = edgeEnergy(soft);
    double midEdges = edgeEnergy(mid);
    double hardEdges = edgeEnergy(hard);
    assertTrue(midEdges > softEdges * 1.1, "edge energy 8.5 vs 5: " + midEdges + " vs " + softEdges);
    assertTrue(hardEdges > midEdges * 1.1, "edge energy 12 vs 8.5: " + hardEdges + " vs " + midEdges);
    assertTrue(contrast(hard) > contrast(soft), "global contrast grows with guidance");
  }

  @Test
  void controlWeightKeepsTheOriginalsStructure() {
    double loose = edgeCorrelation(SCENE, enhancer.enhance(SCENE, params(0.5, 8, 0.70, 1)));
    double mid = edgeCorrelation(SCENE, enhancer.enhance(SCENE, params(0.5, 8, 0.85, 1)));
    double tight = edgeCorrelation(SCENE, enhancer.enhance(SCENE, params(0.5, 8, 0.99, 1)));
    assertTrue(mid > loose + 0.03, "edge correlation 0.85 vs 0.70: " + mid + " vs " + loose);
    assertTrue(tight > mid + 0.03, "edge correlation 0.99 vs 0.85: " + tight + " vs " + mid);
    assertTrue(tight > 0.8, "a high control weight keeps the structure: " + tight);
  }

  @Test
  void sameSeedGivesByteIdenticalOutputAndOtherSeedsDiffer() throws Exception {
    byte[] original = TestImages.jpeg(TestImages.interior(400, 300, false));
    byte[] first = enhancer.render(original, params(0.3, 7.5, 0.9, 42)).bytes();
    byte[] again = new LocalEnhancer(2048).render(original, params(0.3, 7.5, 0.9, 42)).bytes();
    byte[] otherSeed = enhancer.render(original, params(0.3, 7.5, 0.9, 43)).bytes();
    assertArrayEquals(first, again);
    assertFalse(Arrays.equals(first, otherSeed));
    Planes a = Planes.of(TestImages.decode(first));
    Planes b = Planes.of(TestImages.decode(otherSeed));
    assertTrue(meanAbsoluteDifference(a, b) > 0.002, "different seeds give visibly different grain and structure");
  }

  @Test
  void promptWordingNudgesTheGrade() {
    EnhancementParameters warm = new EnhancementParameters(0.5, 8, 0.9, 5, "warm golden sunset light", "");
    EnhancementParameters cool = new EnhancementParameters(0.5, 8, 0.9, 5, "cool overcast light", "");
    EnhancementParameters notWarm = new EnhancementParameters(0.5, 8, 0.9, 5, "light", "warm, golden");
    assertTrue(redMinusBlue(enhancer.enhance(SCENE, warm)) > redMinusBlue(enhancer.enhance(SCENE, cool)) + 0.03);
    assertTrue(redMinusBlue(enhancer.enhance(SCENE, notWarm)) < redMinusBlue(enhancer.enhance(SCENE, warm)) - 0.03);
    EnhancementParameters bright = new EnhancementParameters(0.5, 8, 0.9, 5, "bright airy daylight", "");
    EnhancementParameters moody = new EnhancementParameters(0.5, 8, 0.9, 5, "moody dim", "");
    assertTrue(mean(LocalEnhancer.luminance(enhancer.enhance(SCENE, bright)))
      > mean(LocalEnhancer.luminance(enhancer.enhance(SCENE, moody))) + 0.03);
  }

  @Test
  void jpegStaysJpegAndPngStaysPngWithItsAlpha() throws Exception {
    EncodedImage jpeg = enhancer.render(TestImages.jpeg(TestImages.interior(200, 120, false)), params(0.3, 8, 0.9, 1));
    assertEquals(ImageFormat.JPEG, jpeg.format());
    assertEquals(ImageFormat.JPEG, ImageFormat.sniff(jpeg.bytes()).orElseThrow());

    BufferedImage withAlpha = TestImages.interior(200, 120, true);
    EncodedImage png = enhancer.render(TestImages.png(withAlpha), params(0.5, 12, 0.7, 1));
    assertEquals(ImageFormat.PNG, png.format());
    BufferedImage decoded = TestImages.decode(png.bytes());
    assertTrue(decoded.getColorModel().hasAlpha());
    for (int y = 0; y < 120; y += 7) {
      for (int x = 0; x < 200; x += 7) {
        assertEquals(withAlpha.getRGB(x, y) >>> 24, decoded.getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
      }
    }
    assertFalse(Arrays.equals(TestImages.png(withAlpha), png.bytes()));
  }

  @Test
  void opaquePngStaysOpaque() throws Exception {
    EncodedImage png = enhancer.render(TestImages.png(TestImages.interior(100, 80, false)), params(0.3, 8, 0.9, 1));
    assertFalse(TestImages.decode(png.bytes()).getColorModel().hasAlpha());
  }

  @Test
  void rotatedJpegComesOutUpright() throws Exception {
    BufferedImage stored = TestImages.quadrants(120, 80);
    EncodedImage six = enhancer.render(TestImages.jpegWithOrientation(stored, 6, false), params(0.2, 6, 0.95, 1));
    assertEquals(80, six.width());
    assertEquals(120, six.height());
    Planes upright = Planes.of(TestImages.decode(six.bytes()));
    assertEquals(80, upright.width);
    // Turned 90° clockwise: blue (stored bottom-left) is now top-left, red top-right.
    assertEquals("B", ExifOrientationTest.colour(upright, 10, 10));
    assertEquals("R", ExifOrientationTest.colour(upright, 70, 10));
    assertEquals("W", ExifOrientationTest.colour(upright, 10, 110));
    assertEquals("G", ExifOrientationTest.colour(upright, 70, 110));

    EncodedImage eight = enhancer.render(TestImages.jpegWithOrientation(stored, 8, true), params(0.2, 6, 0.95, 1));
    Planes turnedBack = Planes.of(TestImages.decode(eight.bytes()));
    assertEquals("G", ExifOrientationTest.colour(turnedBack, 10, 10));
    assertEquals("R", ExifOrientationTest.colour(turnedBack, 10, 110));
  }

  @Test
  void largeInputsAreScaledToTheConfiguredEdge() throws Exception {
    EncodedImage out = new LocalEnhancer(256).render(TestImages.png(TestImages.interior(900, 300, false)),
      params(0.3, 8, 0.9, 1));
    assertEquals(256, out.width());
    assertEquals(85, out.height());
    BufferedImage decoded = TestImages.decode(out.bytes());
    assertEquals(256, decoded.getWidth());
  }

  @Test
  void downscalingAveragesInsteadOfDroppingPixels() {
    // A one-pixel checkerboard averages to mid grey; dropping pixels would keep pure black or white.
    BufferedImage checker = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        checker.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0);
      }
    }
    Planes small = Planes.resizedToFit(checker, 16);
    assertEquals(16, small.width);
    for (float v : small.r) {
      assertEquals(0.5, v, 0.02);
    }
  }

  @Test
  void transparentPixelsDoNotDarkenDownscaledColour() {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        // Every other pixel is fully transparent black; the visible ones are pure red.
        image.setRGB(x, y, (x % 2 == 0) ? 0xFFFF0000 : 0x00000000);
      }
    }
    Planes small = Planes.resizedToFit(image, 4);
    for (int i = 0; i < small.size(); i++) {
      assertEquals(1.0, small.r[i], 1e-4);
      assertEquals(0.5, small.alpha[i], 1e-4);
    }
  }

  @Test
  void refusesDamagedInput() {
    byte[] truncated = TestImages.truncated(TestImages.png(TestImages.interior(200, 120, false)), 0.5);
    ImageRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(ImageRejectedException.class,
      () -> enhancer.render(truncated, params(0.3, 8, 0.9, 1)));
    assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
  }

  // ---- measurements ----

  static double meanAbsoluteDifference(Planes a, Planes b) {
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      sum += Math.abs(a.r[i] - b.r[i]) + Math.abs(a.g[i] - b.g[i]) + Math.abs(a.b[i] - b.b[i]);
    }
    return sum / (3.0 * a.size());
  }

  static float[] gradientMagnitude(Planes p) {
    float[] l = LocalEnhancer.luminance(p);
    float[] grad = new float[l.length];
    for (int y = 1; y < p.height - 1; y++) {
      for (int x = 1; x < p.width - 1; x++) {
        int i = y * p.width + x;
        float gx = l[i + 1] - l[i - 1];
        float gy = l[i + p.width] - l[i - p.width];
        grad[i] = (float) Math.sqrt(gx * gx + gy * gy);
      }
    }
    return grad;
  }

  static double edgeEnergy(Planes p) {
    return mean(gradientMagnitude(p));
  }

  static double edgeCorrelation(Planes a, Planes b) {
    float[] x = gradientMagnitude(a);
    float[] y = gradientMagnitude(b);
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  static double contrast(Planes p) {
    float[] l = LocalEnhancer.luminance(p);
    double m = mean(l);
    double sum = 0;
    for (float v : l) {
      sum += (v - m) * (v - m);
    }
    return Math.sqrt(sum / l.length);
  }

  static double redMinusBlue(Planes p) {
    double sum = 0;
    for (int i = 0; i < p.size(); i++) {
      sum += p.r[i] - p.b[i];
    }
    return sum / p.size();
  }

  static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
