package dev.promptlab.reward.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Feature values on images whose answer is known by construction. */
public class FeatureExtractorTest {

  private final FeatureExtractor extractor = new FeatureExtractor();

  @Test
  void aFlatGreyImageHasNoDetailNoColourAndNoRange() {
    FeatureVector f = extractor.extract(flat(200, 150, new Color(128, 128, 128)));
    assertEquals(FeatureExtractor.VERSION, f.extractorVersion());
    assertEquals(0.0, f.get("edge_density"));
    assertEquals(0.0, f.get("noise_sigma"), 1e-6);
    assertEquals(0.0, f.get("saturation_mean"), 1e-9);
    assertEquals(0.0, f.get("colour_cast"), 1e-3);
    assertEquals(0.0, f.get("dynamic_range"), 1e-9);
    assertEquals(0.0, f.get("contrast_rms"), 1e-6);
    assertTrue(f.get("sharpness_log_laplacian_var") < -7, "no Laplacian response: " + f.get("sharpness_log_laplacian_var"));
    for (int i = 0; i < FeatureExtractor.HUE_BINS; i++) {
      assertEquals(0.0, f.get("hue_hist_" + i));
    }
    // sRGB 128 is L* 53.6: one lightness bin holds every pixel.
    assertEquals(0.536, f.get("lab_l_mean"), 0.005);
    assertEquals(1.0, f.get("lightness_hist_4"), 1e-9);
  }

  @Test
  void aCheckerboardHasEdgesTextureAndTwoLightnessLevels() {
    FeatureVector flat = extractor.extract(flat(256, 256, Color.GRAY));
    FeatureVector board = extractor.extract(checkerboard(256, 256, 16, 0));
    assertTrue(board.get("edge_density") > 0.05, "edge density " + board.get("edge_density"));
    assertTrue(board.get("sharpness_log_laplacian_var") > flat.get("sharpness_log_laplacian_var") + 5);
    for (int k = 0; k < 8; k++) {
      assertTrue(board.get("gabor_energy_" + k) > flat.get("gabor_energy_" + k), "gabor " + k);
    }
    assertEquals(0.5, board.get("lightness_hist_0"), 0.01);
    assertEquals(0.5, board.get("lightness_hist_7"), 0.01);
    assertEquals(1.0, board.get("dynamic_range"), 0.01);
    assertEquals(0.5, board.get("contrast_rms"), 0.01);
    // Half the pixels are pure white and half pure black.
    assertEquals(0.5, board.get("clipped_highlights"), 0.01);
    assertEquals(0.5, board.get("clipped_shadows"), 0.01);
  }

  @Test
  void aWarmCastShowsInLabAndInTheHueHistogram() {
    FeatureVector neutral = extractor.extract(flat(100, 100, new Color(128, 128, 128)));
    FeatureVector warm = extractor.extract(flat(100, 100, new Color(168, 128, 88)));
    assertTrue(warm.get("colour_cast") > neutral.get("colour_cast") + 0.15, "cast " + warm.get("colour_cast"));
    assertTrue(warm.get("lab_a_mean") > 0 && warm.get("lab_b_mean") > 0.2, "a " + warm.get("lab_a_mean"));
    assertTrue(warm.get("saturation_mean") > 0.4);
    assertTrue(warm.get("colourfulness") > neutral.get("colourfulness") + 0.05, "colourfulness " + warm.get("colourfulness"));
    // Hue 30°: the 30-60° bin holds all the saturation.
    assertEquals(1.0, warm.get("hue_hist_1"), 1e-9);
  }

  @Test
  void theNoiseEstimateFindsAddedGaussianNoise() {
    double sigma = 8 / 255.0;
    BufferedImage noisy = flat(400, 300, Color.GRAY);
    Random random = new Random(7);
    for (int y = 0; y < noisy.getHeight(); y++) {
      for (int x = 0; x < noisy.getWidth(); x++) {
        int v = (int) Math.round(128 + random.nextGaussian() * 8);
        noisy.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    FeatureVector f = extractor.extract(noisy);
    assertEquals(sigma, f.get("noise_sigma"), sigma * 0.15);
  }

  @Test
  void lightOnTheLeftAndAboveShowsInTheLightingFeatures() {
    BufferedImage image = flat(300, 300, Color.DARK_GRAY);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 100, 300);
    g.fillRect(0, 0, 300, 100);
    g.dispose();
    FeatureVector f = extractor.extract(image);
    assertTrue(f.get("light_left_right") < -0.2, "left-right " + f.get("light_left_right"));
    assertTrue(f.get("light_top_bottom") > 0.2, "top-bottom " + f.get("light_top_bottom"));
    assertEquals(1.0, f.get("light_grid_0"), 0.001);
    assertTrue(f.get("light_spread") > 0.1);
  }

  @Test
  void aLargeImageIsReducedAndGivesTheSameFeaturesAsASmallerCopy() {
    FeatureVector large = extractor.extract(checkerboard(3000, 2000, 120, 0));
    FeatureVector small = extractor.extract(checkerboard(1000, 666, 40, 0));
    assertEquals(small.size(), large.size());
    assertEquals(small.get("lightness_hist_0"), large.get("lightness_hist_0"), 0.02);
    assertEquals(small.get("edge_density"), large.get("edge_density"), 0.01);
  }

  /** A {@code w} × {@code h} image of one colour. */
  public static BufferedImage flat(int w, int h, Color colour) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }

  static BufferedImage checkerboard(int w, int h, int square, int shift) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean white = (((x + shift) / square) + (y / square)) % 2 == 0;
        image.setRGB(x, y, white ? 0xffffff : 0x000000);
      }
    }
    return image;
  }
}
