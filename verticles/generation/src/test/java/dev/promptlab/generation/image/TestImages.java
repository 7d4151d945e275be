package dev.promptlab.generation.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builds test images in code: a synthetic interior render, encodings, EXIF splices, forged headers. */
public final class TestImages {

  private TestImages() {
  }

  /** A synthetic interior: lit walls, a floor, a bright window, furniture with hard edges and some texture. */
  public static BufferedImage interior(int width, int height, boolean withAlpha) {
    BufferedImage image = new BufferedImage(width, height,
      withAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(214, 205, 190), width, 0, new Color(150, 140, 128)));
    g.fillRect(0, 0, width, height * 2 / 3);
    g.setPaint(new GradientPaint(0, height * 2f / 3, new Color(120, 88, 60), 0, height, new Color(80, 56, 38)));
    g.fillRect(0, height * 2 / 3, width, height - height * 2 / 3);
    g.setColor(new Color(235, 240, 250));
    g.fillRect(width / 10, height / 8, width / 4, height / 3);
    g.setColor(new Color(90, 90, 95));
    g.setStroke(new BasicStroke(Math.max(1, width / 200f)));
    g.drawRect(width / 10, height / 8, width / 4, height / 3);
    g.drawLine(width / 10 + width / 8, height / 8, width / 10 + width / 8, height / 8 + height / 3);
    g.setColor(new Color(60, 82, 110));
    g.fillRoundRect(width / 2, height / 2, width / 3, height / 4, width / 40, width / 40);
    g.setColor(new Color(170, 60, 50));
    g.fillOval(width / 2 + width / 20, height / 2 - height / 12, width / 10, height / 8);
    g.setColor(new Color(40, 40, 40));
    for (int i = 0; i < 6; i++) {
      int x = width / 2 + i * width / 18;
      g.drawLine(x, height / 2 + height / 4, x, height * 5 / 6);
    }
    g.dispose();
    // Wood-like fine texture so local-contrast and smoothing effects have detail to act on.
    Random random = new Random(7);
    for (int y = height * 2 / 3; y < height; y++) {
      int streak = random.nextInt(17) - 8;
      for (int x = 0; x < width; x++) {
        int jitter = streak + random.nextInt(9) - 4;
        int p = image.getRGB(x, y);
        image.setRGB(x, y, (p & 0xFF000000) | shift((p >> 16) & 0xFF, jitter) << 16
          | shift((p >> 8) & 0xFF, jitter) << 8 | shift(p & 0xFF, jitter));
      }
    }
    if (withAlpha) {
      // Alpha fades out towards the right edge and a hole in the middle is fully transparent.
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int alpha = 255 - (x * 200 / width);
          if (Math.abs(x - width / 4) < width / 20 && Math.abs(y - height * 3 / 4) < height / 20) {
            alpha = 0;
          }
          image.setRGB(x, y, (image.getRGB(x, y) & 0x00FFFFFF) | alpha << 24);
        }
      }
    }
    return image;
  }

  private static int shift(int v, int d) {
    return Math.max(0, Math.min(255, v + d));
  }

  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] jpeg(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A TIFF structure holding one IFD0 with the orientation tag, in the given byte order. */
  public static byte[] tiffWithOrientation(int orientation, boolean littleEndian) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4)
      .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    tiff.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
    tiff.putShort((short) 42).putInt(8);
    tiff.putShort((short) 2);
    // An unrelated entry first (ImageWidth) so the reader has to walk the directory.
    tiff.putShort((short) 0x0100).putShort((short) 3).putInt(1).putShort((short) 640).putShort((short) 0);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    return tiff.array();
  }

  /** The JPEG with an APP1 Exif segment carrying {@code tiff} spliced in right after SOI. */
  public static byte[] withExif(byte[] jpeg, byte[] tiff) {
    byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + header.length + tiff.length;
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
    out.put(jpeg, 0, 2);
    out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(header).put(tiff);
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  public static byte[] jpegWithOrientation(BufferedImage image, int orientation, boolean littleEndian) {
    return withExif(jpeg(image), tiffWithOrientation(orientation, littleEndian));
  }

  /** The PNG with an {@code eXIf} chunk holding {@code tiff} inserted after IHDR. */
  public static byte[] pngWithExif(byte[] png, byte[] tiff) {
    int afterHeader = 8 + 4 + 4 + 13 + 4;
    byte[] chunk = chunk("eXIf", tiff);
    ByteBuffer out = ByteBuffer.allocate(png.length + chunk.length);
    out.put(png, 0, afterHeader).put(chunk).put(png, afterHeader, png.length - afterHeader);
    return out.array();
  }

  /**
   * A small but well-formed PNG whose header declares {@code width}×{@code height}: the image data is a
   * single empty IDAT, as in a decompression bomb that lies about what it would expand to.
   */
  public static byte[] pngHeaderDeclaring(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    byte[] header = chunk("IHDR", ihdr.array());
    byte[] data = chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    byte[] end = chunk("IEND", new byte[0]);
    return ByteBuffer.allocate(signature.length + header.length + data.length + end.length)
      .put(signature).put(header).put(data).put(end).array();
  }

  static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
      .putInt((int) crc.getValue()).array();
  }

  public static byte[] truncated(byte[] content, double keep) {
    byte[] out = new byte[(int) (content.length * keep)];
    System.arraycopy(content, 0, out, 0, out.length);
    return out;
  }

  public static BufferedImage decode(byte[] content) {
    try {
      return ImageIO.read(new java.io.ByteArrayInputStream(content));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An image whose four quadrants have distinct solid colours (top-left red, top-right green,
   * bottom-left blue, bottom-right white), so orientation is easy to check even after JPEG compression.
   */
  public static BufferedImage quadrants(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, width / 2, height / 2);
    g.setColor(Color.GREEN);
    g.fillRect(width / 2, 0, width - width / 2, height / 2);
    g.setColor(Color.BLUE);
    g.fillRect(0, height / 2, width / 2, height - height / 2);
    g.setColor(Color.WHITE);
    g.fillRect(width / 2, height / 2, width - width / 2, height - height / 2);
    g.dispose();
    return image;
  }
}
