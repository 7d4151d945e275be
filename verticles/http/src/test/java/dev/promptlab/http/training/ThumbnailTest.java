package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

  private static byte[] image(int width, int height, int type, String format, Color colour) throws IOException {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  private static BufferedImage read(byte[] jpeg) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }

  @Test
  void aLargeRenderShrinksIntoTheBoxKeepingItsShape() throws IOException {
    byte[] big = image(4000, 2000, BufferedImage.TYPE_INT_RGB, "jpg", new Color(30, 90, 160));
    byte[] thumbnail = Thumbnail.of(big);
    BufferedImage small = read(thumbnail);
    assertEquals(320, small.getWidth());
    assertEquals(160, small.getHeight());
    assertTrue(thumbnail.length < big.length / 5, thumbnail.length + " bytes");
    Color middle = new Color(small.getRGB(160, 80));
    assertTrue(Math.abs(middle.getBlue() - 160) < 12 && Math.abs(middle.getRed() - 30) < 12, middle.toString());
  }

  @Test
  void aSmallImageIsNotBlownUpAndTransparencyBecomesWhite() throws IOException {
    byte[] png = image(96, 64, BufferedImage.TYPE_INT_ARGB, "png", new Color(0, 0, 0, 0));
    BufferedImage small = read(Thumbnail.of(png));
    assertEquals(96, small.getWidth());
    assertEquals(64, small.getHeight());
    Color pixel = new Color(small.getRGB(10, 10));
    assertTrue(pixel.getRed() > 245 && pixel.getGreen() > 245 && pixel.getBlue() > 245, pixel.toString());
  }

  @Test
  void bytesThatAreNoImageAreRefused() {
    assertThrows(IOException.class, () -> Thumbnail.of("not an image".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theCacheDropsTheLeastRecentlyUsedOncePastItsBound() {
    ThumbnailCache cache = new ThumbnailCache(10);
    cache.put("a", new byte[4]);
    cache.put("b", new byte[4]);
    assertTrue(cache.get("a").isPresent(), "a is now the most recently used");
    cache.put("c", new byte[4]);
    assertTrue(cache.get("b").isEmpty(), "b was the least recently used");
    assertArrayEquals(new byte[4], cache.get("a").orElseThrow());
    assertEquals(8, cache.bytes());
    cache.put("huge", new byte[11]);
    assertTrue(cache.get("huge").isEmpty(), "an entry larger than the whole cache is not kept");
    assertEquals(8, cache.bytes());
  }
}
