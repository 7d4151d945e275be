package dev.promptlab.generation.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.FailureCodes;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UploadValidatorTest {

  private final UploadValidator validator = new UploadValidator(20L * 1024 * 1024, 40_000_000L);

  @Test
  void acceptsPngWithAlpha() throws Exception {
    ImageInfo info = validator.validate(TestImages.png(TestImages.interior(320, 200, true)));
    assertEquals(ImageFormat.PNG, info.format());
    assertEquals(320, info.width());
    assertEquals(200, info.height());
    assertEquals(1, info.orientation());
  }

  @Test
  void acceptsJpeg() throws Exception {
    ImageInfo info = validator.validate(TestImages.jpeg(TestImages.interior(320, 200, false)));
    assertEquals(ImageFormat.JPEG, info.format());
    assertEquals("image/jpeg", info.format().contentType());
    assertEquals(320, info.width());
    assertEquals(200, info.height());
  }

  @Test
  void reportsDisplayedSizeOfRotatedJpegs() throws Exception {
    BufferedImage landscape = TestImages.quadrants(320, 200);
    ImageInfo six = validator.validate(TestImages.jpegWithOrientation(landscape, 6, false));
    assertEquals(6, six.orientation());
    assertEquals(200, six.width());
    assertEquals(320, six.height());
    ImageInfo eight = validator.validate(TestImages.jpegWithOrientation(landscape, 8, true));
    assertEquals(8, eight.orientation());
    assertEquals(200, eight.width());
    assertEquals(320, eight.height());
    ImageInfo three = validator.validate(TestImages.jpegWithOrientation(landscape, 3, true));
    assertEquals(320, three.width());
  }

  @Test
  void refusesTextWithUnsupportedMedia() {
    ImageRejectedException e = assertThrows(ImageRejectedException.class,
      () -> validator.validate("hello, this is not an image\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(ImageRejectedException.Reason.NOT_AN_ACCEPTED_FORMAT, e.reason());
    assertEquals(FailureCodes.UNSUPPORTED_MEDIA, e.reason().failureCode());
    assertTrue(e.getMessage().contains("PNG and JPEG"), e.getMessage());
  }

  @Test
  void refusesOtherImageFormats() throws Exception {
    BufferedImage image = TestImages.quadrants(16, 16);
    java.io.ByteArrayOutputStream gif = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "gif", gif);
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> validator.validate(gif.toByteArray()));
    assertEquals(FailureCodes.UNSUPPORTED_MEDIA, e.reason().failureCode());
  }

  @Test
  void refusesEmptyUpload() {
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> validator.validate(new byte[0]));
    assertEquals(ImageRejectedException.Reason.EMPTY, e.reason());
    assertEquals(FailureCodes.INVALID_REQUEST, e.reason().failureCode());
  }

  @Test
  void refusesTruncatedPng() {
    byte[] png = TestImages.png(TestImages.interior(320, 200, false));
    ImageRejectedException e = assertThrows(ImageRejectedException.class,
      () -> validator.validate(TestImages.truncated(png, 0.6)));
    assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
    assertEquals(FailureCodes.INVALID_REQUEST, e.reason().failureCode());
  }

  @Test
  void refusesTruncatedJpeg() {
    byte[] jpeg = TestImages.jpeg(TestImages.interior(320, 200, false));
    ImageRejectedException e = assertThrows(ImageRejectedException.class,
      () -> validator.validate(TestImages.truncated(jpeg, 0.6)));
    assertEquals(ImageRejectedException.Reason.CORRUPT, e.reason());
  }

  @Test
  void refusesJpegMagicFollowedByGarbage() {
    byte[] fake = new byte[500];
    Arrays.fill(fake, (byte) 0x41);
    fake[0] = (byte) 0xFF;
    fake[1] = (byte) 0xD8;
    fake[2] = (byte) 0xFF;
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> validator.validate(fake));
    assertEquals(FailureCodes.INVALID_REQUEST, e.reason().failureCode());
  }

  @Test
  void refusesHugePixelDimensionsFromTheHeaderAlone() {
    byte[] bomb = TestImages.pngHeaderDeclaring(100_000, 100_000);
    assertTrue(bomb.length < 100, "the forged file itself is tiny");
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> validator.validate(bomb));
    assertEquals(ImageRejectedException.Reason.TOO_MANY_PIXELS, e.reason());
    assertEquals(FailureCodes.TOO_LARGE, e.reason().failureCode());
    assertTrue(e.getMessage().contains("100000×100000"), e.getMessage());
  }

  @Test
  void pixelLimitCountsWidthTimesHeight() throws Exception {
    UploadValidator small = new UploadValidator(1_000_000, 10_000);
    assertEquals(100, small.validate(TestImages.png(TestImages.quadrants(100, 100))).width());
    ImageRejectedException e = assertThrows(ImageRejectedException.class,
      () -> small.validate(TestImages.png(TestImages.quadrants(101, 100))));
    assertEquals(ImageRejectedException.Reason.TOO_MANY_PIXELS, e.reason());
  }

  @Test
  void refusesTooManyBytesBeforeLookingInside() throws Exception {
    byte[] png = TestImages.png(TestImages.interior(320, 200, false));
    UploadValidator tight = new UploadValidator(png.length - 1, 40_000_000L);
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> tight.validate(png));
    assertEquals(ImageRejectedException.Reason.TOO_MANY_BYTES, e.reason());
    assertEquals(FailureCodes.TOO_LARGE, e.reason().failureCode());
    assertEquals(320, new UploadValidator(png.length, 40_000_000L).validate(png).width());
    // Even garbage is refused for its size first.
    ImageRejectedException garbage = assertThrows(ImageRejectedException.class,
      () -> new UploadValidator(10, 100).validate("definitely not an image".getBytes(StandardCharsets.UTF_8)));
    assertEquals(ImageRejectedException.Reason.TOO_MANY_BYTES, garbage.reason());
  }
}
