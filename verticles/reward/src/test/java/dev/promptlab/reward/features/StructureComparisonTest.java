package dev.promptlab.reward.features;

import static dev.promptlab.reward.features.FeatureExtractorTest.checkerboard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StructureComparisonTest {

  private final StructureComparison comparison = new StructureComparison();

  @Test
  void anImageKeepsAllOfItsOwnStructure() {
    BufferedImage board = checkerboard(256, 256, 16, 0);
    FeatureVector f = comparison.compare(board, board);
    assertEquals(1.0, f.get("ssim"), 1e-6);
    assertEquals(1.0, f.get("edge_overlap"), 1e-9);
    assertEquals(0.0, f.get("luma_change"), 1e-9);
  }

  @Test
  void movedStructureLosesSsimAndEdgeOverlap() {
    BufferedImage board = checkerboard(256, 256, 16, 0);
    FeatureVector moved = comparison.compare(board, checkerboard(256, 256, 16, 8));
    assertTrue(moved.get("ssim") < 0.3, "ssim " + moved.get("ssim"));
    assertTrue(moved.get("edge_overlap") < 0.7, "overlap " + moved.get("edge_overlap"));
    assertTrue(moved.get("luma_change") > 0.3);
  }

  @Test
  void aBrighterVariantKeepsItsEdgesButNotAllOfItsSsim() {
    BufferedImage board = grey(checkerboard(256, 256, 32, 0), 60, 160);
    BufferedImage brighter = grey(checkerboard(256, 256, 32, 0), 110, 210);
    FeatureVector f = comparison.compare(board, brighter);
    assertTrue(f.get("edge_overlap") > 0.9, "overlap " + f.get("edge_overlap"));
    assertTrue(f.get("ssim") < 0.99 && f.get("ssim") > 0.5, "ssim " + f.get("ssim"));
  }

  @Test
  void aNewCastOrBrighterLightShowsAsAColourShift() {
    BufferedImage grey = FeatureExtractorTest.flat(200, 150, new Color(128, 128, 128));
    FeatureVector warm = comparison.compare(grey, FeatureExtractorTest.flat(200, 150, new Color(168, 128, 88)));
    FeatureVector lighter = comparison.compare(grey, FeatureExtractorTest.flat(200, 150, new Color(170, 170, 170)));
    assertTrue(warm.get("cast_shift") > 0.25, "cast shift " + warm.get("cast_shift"));
    assertEquals(0.0, lighter.get("cast_shift"), 0.005);
    assertTrue(lighter.get("lightness_shift") > 0.1, "lightness shift " + lighter.get("lightness_shift"));
  }

  @Test
  void aVariantOfAnotherSizeIsComparedOnTheOriginalsGrid() {
    BufferedImage board = checkerboard(300, 200, 20, 0);
    BufferedImage larger = new BufferedImage(600, 400, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = larger.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.drawImage(board, 0, 0, 600, 400, null);
    g.dispose();
    FeatureVector f = comparison.compare(board, larger);
    assertTrue(f.get("ssim") > 0.9, "ssim " + f.get("ssim"));
    assertTrue(f.get("edge_overlap") > 0.9, "overlap " + f.get("edge_overlap"));
  }

  @Test
  void anUntouchedCopyHasNoChangeOfExposureDetailNoiseOrPlace() {
    BufferedImage blocks = blocks(256, 192, 1);
    FeatureVector f = comparison.compare(blocks, blocks);
    assertEquals(0.0, f.get("exposure_change"), 1e-9);
    assertEquals(1.0, f.get("detail_kept"), 1e-6);
    assertEquals(0.0, f.get("noise_added"), 1e-6);
    assertEquals(0.0, f.get("displacement"), 1e-9);
    assertEquals(0.0, f.get("displaced_share"), 1e-9);
  }

  @Test
  void addedGrainIsMeasuredApartFromTheDetailThePictureHas() {
    BufferedImage blocks = blocks(256, 192, 2);
    Random random = new Random(3);
    FeatureVector f = comparison.compare(blocks, map(blocks, (x, y, v) -> v + 0.04 * random.nextGaussian()));
    assertEquals(0.04, f.get("noise_added"), 0.008);
    assertEquals(1.0, f.get("detail_kept"), 0.1);
    assertEquals(0.0, f.get("displaced_share"), 1e-9);
  }

  @Test
  void aBlurredVariantKeepsLessDetailAndAddsNoGrain() {
    BufferedImage blocks = blocks(256, 192, 4);
    BufferedImage blurred = new ConvolveOp(new Kernel(5, 5, box(5)), ConvolveOp.EDGE_NO_OP, null).filter(blocks,
      null);
    FeatureVector f = comparison.compare(blocks, blurred);
    assertTrue(f.get("detail_kept") < 0.5, "detail kept " + f.get("detail_kept"));
    assertEquals(0.0, f.get("noise_added"), 0.005);
    assertEquals(0.0, f.get("exposure_change"), 0.05);
  }

  @Test
  void twiceTheLightIsOneStopUpWithItsDetailKept() {
    BufferedImage board = grey(checkerboard(256, 256, 32, 0), 50, 100);
    BufferedImage brighter = grey(checkerboard(256, 256, 32, 0), 100, 200);
    FeatureVector f = comparison.compare(board, brighter);
    assertEquals(1.0, f.get("exposure_change"), 0.01);
    assertEquals(1.0, f.get("detail_kept"), 0.01);
    assertEquals(-1.0, comparison.compare(brighter, board).get("exposure_change"), 0.01);
  }

  @Test
  void aBandMovedSidewaysShowsAsDisplacedByItsShift() {
    BufferedImage blocks = blocks(256, 256, 5);
    // Rows 96-191 (a three-eighths band) moved 16 px to the right, wrapping round.
    BufferedImage moved = map(blocks, (x, y, v) -> y >= 96 && y < 192
      ? (blocks.getRGB(Math.floorMod(x - 16, 256), y) & 0xff) / 255.0 : v);
    FeatureVector f = comparison.compare(blocks, moved);
    assertEquals(0.375, f.get("displaced_share"), 0.07);
    assertEquals(0.375 * 16 / 256, f.get("displacement"), 0.006);
  }

  /** A grey picture of random 8 × 8 blocks between 40 and 215: texture everywhere, flat inside each block. */
  private static BufferedImage blocks(int width, int height, long seed) {
    Random random = new Random(seed);
    int[][] levels = new int[height / 8 + 1][width / 8 + 1];
    for (int[] row : levels) {
      for (int i = 0; i < row.length; i++) {
        row[i] = 40 + random.nextInt(176);
      }
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = levels[y / 8][x / 8];
        out.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    return out;
  }

  private interface GreyMap {
    double at(int x, int y, double grey);
  }

  /** The grey picture with each pixel's level (0-1) replaced, clamped and rounded to 8 bits. */
  private static BufferedImage map(BufferedImage in, GreyMap f) {
    BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < in.getHeight(); y++) {
      for (int x = 0; x < in.getWidth(); x++) {
        double v = f.at(x, y, (in.getRGB(x, y) & 0xff) / 255.0);
        int level = (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
        out.setRGB(x, y, new Color(level, level, level).getRGB());
      }
    }
    return out;
  }

  private static float[] box(int size) {
    float[] kernel = new float[size * size];
    Arrays.fill(kernel, 1f / kernel.length);
    return kernel;
  }

  private static BufferedImage grey(BufferedImage board, int dark, int light) {
    BufferedImage out = new BufferedImage(board.getWidth(), board.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < board.getHeight(); y++) {
      for (int x = 0; x < board.getWidth(); x++) {
        int v = (board.getRGB(x, y) & 0xff) > 0 ? light : dark;
        out.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    return out;
  }
}
