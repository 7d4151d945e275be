package dev.promptlab.launcher.browser;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** A render-like JPEG of a living room with light, depth and sensor noise, drawn in code (no binary fixtures). */
final class RoomPhoto {

  private RoomPhoto() {
  }

  static Path write(Path dir, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    int horizon = (int) (height * 0.62);
    g.setPaint(new GradientPaint(0, 0, new Color(238, 232, 220), 0, horizon, new Color(200, 190, 175)));
    g.fillRect(0, 0, width, horizon);
    g.setPaint(new GradientPaint(0, horizon, new Color(150, 108, 74), 0, height, new Color(96, 64, 42)));
    g.fillRect(0, horizon, width, height - horizon);
    for (int x = 0; x < width; x += width / 12) {
      g.setColor(new Color(80, 55, 36, 90));
      g.drawLine(x, horizon, x - width / 6, height);
    }
    g.setPaint(new RadialGradientPaint(new Point2D.Float(width * 0.72f, height * 0.25f), width * 0.35f,
      new float[] {0f, 1f}, new Color[] {new Color(255, 252, 235, 230), new Color(255, 252, 235, 0)}));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(205, 225, 240));
    g.fillRect((int) (width * 0.6), height / 10, width / 4, height / 3);
    g.setColor(new Color(250, 250, 246));
    g.fillRect((int) (width * 0.6) + width / 8 - 3, height / 10, 6, height / 3);
    g.setColor(new Color(62, 88, 120));
    g.fillRoundRect(width / 10, (int) (height * 0.48), width / 3, height / 6, 30, 30);
    g.setColor(new Color(48, 70, 98));
    g.fillRoundRect(width / 10, (int) (height * 0.42), width / 3, height / 10, 30, 30);
    g.setColor(new Color(120, 84, 52));
    g.fillRect((int) (width * 0.5), (int) (height * 0.6), width / 5, height / 30);
    g.setColor(new Color(40, 40, 40));
    g.fillRect((int) (width * 0.85), (int) (height * 0.3), 6, (int) (height * 0.34));
    g.setColor(new Color(250, 236, 200));
    g.fillOval((int) (width * 0.82), (int) (height * 0.24), width / 12, height / 14);
    g.dispose();
    Random noise = new Random(42);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int n = (int) (noise.nextGaussian() * 4);
        int r = clamp(((rgb >> 16) & 0xff) + n);
        int gr = clamp(((rgb >> 8) & 0xff) + n);
        int b = clamp((rgb & 0xff) + n);
        image.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    Path file = dir.resolve("salon.jpg");
    Files.createDirectories(dir);
    ImageIO.write(image, "jpg", file.toFile());
    return file;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
