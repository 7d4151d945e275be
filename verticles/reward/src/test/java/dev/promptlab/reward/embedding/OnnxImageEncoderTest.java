package dev.promptlab.reward.embedding;

import static dev.promptlab.reward.features.FeatureExtractorTest.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.testkit.TinyOnnxModel;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder runs a real ONNX model (written by the test) through ONNX Runtime. */
class OnnxImageEncoderTest {

  @TempDir
  Path dir;

  @Test
  void theEmbeddingIsTheModelsOutputOnTheNormalisedImage() throws Exception {
    Path model = TinyOnnxModel.write(dir.resolve("tiny.onnx"), 3, 8);
    try (OnnxImageEncoder encoder = OnnxImageEncoder.load(model, OnnxImageEncoder.CLIP_MEAN,
           OnnxImageEncoder.CLIP_STD, 1)) {
      float[] red = encoder.embed(flat(40, 30, new Color(255, 0, 0)));
      float[] m = OnnxImageEncoder.CLIP_MEAN;
      float[] s = OnnxImageEncoder.CLIP_STD;
      assertArrayEquals(new float[] {(1 - m[0]) / s[0], (0 - m[1]) / s[1], (0 - m[2]) / s[2]}, red, 1e-4f);
      assertTrue(encoder.description().contains("8x8"), encoder.description());
    }
  }

  @Test
  void theImageIsCentreCroppedToTheModelsAspect() throws Exception {
    Path model = TinyOnnxModel.write(dir.resolve("tiny.onnx"), 3, 8);
    // A wide image: black bands left and right are cropped away, so only the white centre is seen.
    BufferedImage wide = flat(300, 100, Color.BLACK);
    Graphics2D g = wide.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(100, 0, 100, 100);
    g.dispose();
    float[] identity = {0, 0, 0};
    float[] unit = {1, 1, 1};
    try (OnnxImageEncoder encoder = OnnxImageEncoder.load(model, identity, unit, 1)) {
      float[] embedding = encoder.embed(wide);
      for (float v : embedding) {
        assertEquals(1.0f, v, 0.02f);
      }
    }
  }

  @Test
  void aMissingOrBrokenModelIsRefusedWithTheReason() throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> OnnxImageEncoder.load(
      dir.resolve("absent.onnx"), OnnxImageEncoder.CLIP_MEAN, OnnxImageEncoder.CLIP_STD, 1));
    assertTrue(missing.getMessage().contains("no ONNX model file"), missing.getMessage());
    Path garbage = Files.writeString(dir.resolve("garbage.onnx"), "not a model");
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class, () -> OnnxImageEncoder.load(
      garbage, OnnxImageEncoder.CLIP_MEAN, OnnxImageEncoder.CLIP_STD, 1));
    assertTrue(broken.getMessage().contains("cannot load the ONNX model"), broken.getMessage());
  }

  @Test
  void aModelThatDoesNotTakeAnRgbImageIsRefused() throws Exception {
    Path grey = TinyOnnxModel.write(dir.resolve("grey.onnx"), 1, 8);
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> OnnxImageEncoder.load(
      grey, OnnxImageEncoder.CLIP_MEAN, OnnxImageEncoder.CLIP_STD, 1));
    assertTrue(refused.getMessage().contains("[N, 3, H, W]"), refused.getMessage());
  }
}
