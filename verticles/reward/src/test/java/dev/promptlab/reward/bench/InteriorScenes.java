package dev.promptlab.reward.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Procedural interior renders: a room in one-point perspective (back wall, side walls, ceiling, a wooden floor with
 * planks and grain), a window with daylight falling off across the room, furniture blocks with shading, picture
 * frames and a rug, in random palettes. They stand in for the renders trainers upload: what matters here is that
 * they have the structure (straight edges, large smooth surfaces, fine texture) the degradations act on.
 */
final class InteriorScenes {

  private InteriorScenes() {
  }

  static BufferedImage render(int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    float hue = random.nextFloat();
    Color wall = Color.getHSBColor(hue, 0.08f + 0.2f * random.nextFloat(), 0.75f + 0.2f * random.nextFloat());
    Color floor = Color.getHSBColor(0.07f + 0.05f * random.nextFloat(), 0.45f + 0.2f * random.nextFloat(),
      0.35f + 0.3f * random.nextFloat());
    int bx0 = (int) (width * (0.25 + 0.1 * random.nextDouble()));
    int bx1 = (int) (width * (0.65 + 0.1 * random.nextDouble()));
    int by0 = (int) (height * (0.2 + 0.1 * random.nextDouble()));
    int by1 = (int) (height * (0.6 + 0.1 * random.nextDouble()));
    boolean lightFromLeft = random.nextBoolean();

    fill(g, new int[] {0, width, bx1, bx0}, new int[] {0, 0, by0, by0}, shade(wall, 0.92));
    g.setPaint(new GradientPaint(0, 0, shade(wall, lightFromLeft ? 1.08 : 0.78), bx0, 0,
      shade(wall, lightFromLeft ? 0.95 : 0.86)));
    g.fillPolygon(new Polygon(new int[] {0, bx0, bx0, 0}, new int[] {0, by0, by1, height}, 4));
    g.setPaint(new GradientPaint(bx1, 0, shade(wall, lightFromLeft ? 0.86 : 0.95), width, 0,
      shade(wall, lightFromLeft ? 0.78 : 1.08)));
    g.fillPolygon(new Polygon(new int[] {bx1, width, width, bx1}, new int[] {by0, 0, height, by1}, 4));
    g.setPaint(new GradientPaint(bx0, by0, shade(wall, 1.02), bx1, by1, shade(wall, 0.9)));
    g.fillRect(bx0, by0, bx1 - bx0, by1 - by0);
    floor(g, width, height, bx0, bx1, by1, floor, random);

    // A window on the back wall with its light.
    int wx = bx0 + (int) ((bx1 - bx0) * (0.1 + 0.4 * random.nextDouble()));
    int ww = (int) ((bx1 - bx0) * (0.2 + 0.15 * random.nextDouble()));
    int wy = by0 + (by1 - by0) / 6;
    int wh = (by1 - by0) / 2;
    g.setColor(new Color(235, 242, 250));
    g.fillRect(wx, wy, ww, wh);
    g.setColor(shade(wall, 0.55));
    g.setStroke(new BasicStroke(Math.max(2, width / 200f)));
    g.drawRect(wx, wy, ww, wh);
    g.drawLine(wx + ww / 2, wy, wx + ww / 2, wy + wh);

    int pieces = 2 + random.nextInt(3);
    for (int i = 0; i < pieces; i++) {
      Color colour = Color.getHSBColor(random.nextFloat(), 0.2f + 0.5f * random.nextFloat(),
        0.3f + 0.5f * random.nextFloat());
      int fw = (int) (width * (0.12 + 0.15 * random.nextDouble()));
      int fh = (int) (height * (0.1 + 0.15 * random.nextDouble()));
      int fx = (int) (random.nextDouble() * (width - fw));
      int fy = by1 + (int) (random.nextDouble() * (height - by1 - fh / 2.0)) - fh / 2;
      block(g, fx, fy, fw, fh, colour, lightFromLeft);
    }
    Color frame = Color.getHSBColor(random.nextFloat(), 0.5f, 0.5f);
    g.setColor(frame);
    int px = bx1 - (bx1 - bx0) / 4;
    g.fillRect(px, wy + wh / 6, (bx1 - bx0) / 6, wh / 2);
    g.setColor(shade(frame, 1.6));
    g.fillRect(px + 4, wy + wh / 6 + 4, (bx1 - bx0) / 6 - 8, wh / 2 - 8);
    g.dispose();
    return image;
  }

  private static void floor(Graphics2D g, int width, int height, int bx0, int bx1, int by1, Color colour,
                            Random random) {
    fill(g, new int[] {bx0, bx1, width, 0}, new int[] {by1, by1, height, height}, colour);
    int planks = 10 + random.nextInt(8);
    g.setStroke(new BasicStroke(1.2f));
    for (int i = 0; i <= planks; i++) {
      double t = i / (double) planks;
      int top = (int) (bx0 + t * (bx1 - bx0));
      int bottom = (int) (t * width);
      g.setColor(shade(colour, 0.7));
      g.drawLine(top, by1, bottom, height);
    }
    for (int k = 0; k < 400; k++) {
      int y = by1 + (int) (random.nextDouble() * (height - by1));
      double depth = (y - by1) / (double) Math.max(1, height - by1);
      int x0 = (int) (bx0 * (1 - depth) + random.nextDouble() * (bx1 - bx0 + (width - bx1 + bx0) * depth));
      g.setColor(shade(colour, 0.85 + 0.3 * random.nextDouble()));
      g.drawLine(x0, y, x0 + (int) (5 + 20 * depth), y);
    }
  }

  private static void block(Graphics2D g, int x, int y, int w, int h, Color colour, boolean lightFromLeft) {
    int depth = Math.max(4, w / 6);
    g.setColor(shade(colour, 0.6));
    g.fillOval(x - depth / 2, y + h - depth / 3, w + depth, depth);
    g.setColor(colour);
    g.fillRect(x, y, w, h);
    g.setColor(shade(colour, 1.25));
    g.fillPolygon(new int[] {x, x + w, x + w + depth, x + depth}, new int[] {y, y, y - depth, y - depth}, 4);
    g.setColor(shade(colour, lightFromLeft ? 0.7 : 1.1));
    g.fillPolygon(new int[] {x + w, x + w + depth, x + w + depth, x + w}, new int[] {y, y - depth, y + h - depth,
      y + h}, 4);
  }

  private static void fill(Graphics2D g, int[] xs, int[] ys, Color colour) {
    g.setColor(colour);
    g.fillPolygon(xs, ys, xs.length);
  }

  private static Color shade(Color c, double factor) {
    return new Color(clamp(c.getRed() * factor), clamp(c.getGreen() * factor), clamp(c.getBlue() * factor));
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
