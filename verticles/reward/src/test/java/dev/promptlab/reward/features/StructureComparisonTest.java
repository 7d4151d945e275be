package dev.promptlab.reward.features;

import static dev.promptlab.reward.features.FeatureExtractorTest.checkerboard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
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
