package dev.promptlab.testkit;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Real encoded photographs-in-miniature of a room, made in code so the tests carry no binary fixtures. */
public final class SampleImages {

  private SampleImages() {
  }

  /** A PNG with a translucent alpha channel. */
  public static byte[] pngWithAlpha(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    paintRoom(image.createGraphics(), width, height, true);
    return encode(image, "png");
  }

  public static byte[] jpeg(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    paintRoom(image.createGraphics(), width, height, false);
    return encode(image, "jpg");
  }

  private static void paintRoom(Graphics2D g, int w, int h, boolean alpha) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(235, 228, 215), 0, h * 0.6f, new Color(190, 180, 165)));
    g.fillRect(0, 0, w, (int) (h * 0.6));
    g.setPaint(new GradientPaint(0, h * 0.6f, new Color(140, 100, 70), 0, h, new Color(90, 60, 40)));
    g.fillRect(0, (int) (h * 0.6), w, h);
    g.setColor(new Color(60, 90, 130));
    g.fillRect(w / 8, (int) (h * 0.45), w / 3, h / 5);
    g.setColor(new Color(250, 250, 240));
    g.fillRect((int) (w * 0.6), h / 8, w / 4, h / 3);
    g.setColor(new Color(30, 30, 30));
    g.drawLine(0, (int) (h * 0.6), w, (int) (h * 0.6));
    if (alpha) {
      g.setComposite(java.awt.AlphaComposite.Clear);
      g.fillRect(0, 0, w / 10, h / 10);
      g.setComposite(java.awt.AlphaComposite.SrcOver);
      g.setColor(new Color(255, 255, 255, 90));
      g.fillOval(w / 2, h / 2, w / 5, h / 5);
    }
    g.dispose();
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }
}
