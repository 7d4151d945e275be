package dev.promptlab.generation.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes images in memory (never through ImageIO's temporary-file cache). */
final class ImageEncoder {

  private static final float JPEG_QUALITY = 0.92f;

  private ImageEncoder() {
  }

  static byte[] encode(BufferedImage image, ImageFormat format) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName());
    if (!writers.hasNext()) {
      throw new IllegalStateException("this JVM has no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(output);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format == ImageFormat.JPEG) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
      }
      BufferedImage target = format == ImageFormat.JPEG ? withoutAlpha(image) : image;
      writer.write(null, new IIOImage(target, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding " + format + " in memory failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static BufferedImage withoutAlpha(BufferedImage image) {
    if (!image.getColorModel().hasAlpha()) {
      return image;
    }
    BufferedImage opaque = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    int[] row = new int[image.getWidth()];
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, row.length, 1, row, 0, row.length);
      opaque.setRGB(0, y, row.length, 1, row, 0, row.length);
    }
    return opaque;
  }
}
