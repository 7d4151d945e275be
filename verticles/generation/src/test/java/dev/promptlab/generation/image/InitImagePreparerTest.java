package dev.promptlab.generation.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class InitImagePreparerTest {

  @Test
  void sendsAnUprightJpegWithSidesInMultiplesOfEight() throws Exception {
    byte[] sideways = TestImages.jpegWithOrientation(TestImages.quadrants(1203, 803), 8, true);
    EncodedImage init = InitImagePreparer.prepare(sideways, 1024, 8);
    assertEquals(ImageFormat.JPEG, init.format());
    assertEquals(680, init.width());
    assertEquals(1024, init.height());
    BufferedImage decoded = TestImages.decode(init.bytes());
    assertEquals(680, decoded.getWidth());
    Planes planes = Planes.of(decoded);
    // Turned 90° counter-clockwise: green (stored top-right) is now top-left.
    assertEquals("G", ExifOrientationTest.colour(planes, 20, 20));
    assertEquals("R", ExifOrientationTest.colour(planes, 20, 1000));
  }

  @Test
  void keepsTransparencyAsPng() throws Exception {
    EncodedImage init = InitImagePreparer.prepare(TestImages.png(TestImages.interior(301, 203, true)), 1024, 8);
    assertEquals(ImageFormat.PNG, init.format());
    assertEquals(296, init.width());
    assertEquals(200, init.height());
    assertTrue(TestImages.decode(init.bytes()).getColorModel().hasAlpha());
  }

  @Test
  void refusesImagesSmallerThanOneBlock() {
    ImageRejectedException e = assertThrows(ImageRejectedException.class,
      () -> InitImagePreparer.prepare(TestImages.png(TestImages.quadrants(6, 40)), 1024, 8));
    assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
  }
}
