package dev.promptlab.reward.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Scenes cut from real photographs (the Kodak suite under {@code bench-photos/} in the test resources): each scene
 * is a random 4:3 crop of one photo, between {@link #MIN_SCALE} and all of the largest such crop, at a random place,
 * mirrored half of the time and resampled to the size asked for — so a thousand comparisons drawn from 24 photos do
 * not reuse the same pixels, while the benchmark still knows which photo each scene came from and can keep the
 * photos it tests on apart from those it trains on.
 */
final class PhotoScenes {

  /** Number of photos in the set: {@code kodim01.jpg} to {@code kodim24.jpg}. */
  static final int PHOTOS = 24;
  /** Smallest crop, as a share of the side of the largest 4:3 crop the photo holds. */
  static final double MIN_SCALE = 0.6;

  private final List<BufferedImage> photos;

  private PhotoScenes(List<BufferedImage> photos) {
    this.photos = List.copyOf(photos);
  }

  static PhotoScenes load() {
    List<BufferedImage> photos = new ArrayList<>(PHOTOS);
    for (int i = 0; i < PHOTOS; i++) {
      String resource = "/bench-photos/" + name(i);
      try (InputStream in = PhotoScenes.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is not on the test classpath");
        }
        BufferedImage photo = ImageIO.read(in);
        if (photo == null) {
          throw new IllegalStateException(resource + " is not an image ImageIO can read");
        }
        photos.add(photo);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
    return new PhotoScenes(photos);
  }

  static String name(int photo) {
    return String.format(Locale.ROOT, "kodim%02d.jpg", photo + 1);
  }

  int count() {
    return photos.size();
  }

  /** A random 4:3 crop of photo {@code photo}, possibly mirrored, resampled (bicubic) to {@code width × height}. */
  BufferedImage cut(int photo, int width, int height, Random random) {
    BufferedImage source = photos.get(photo);
    double aspect = width / (double) height;
    double fullWidth = Math.min(source.getWidth(), source.getHeight() * aspect);
    double scale = MIN_SCALE + (1 - MIN_SCALE) * random.nextDouble();
    int cropWidth = (int) Math.round(fullWidth * scale);
    int cropHeight = (int) Math.round(cropWidth / aspect);
    int x = random.nextInt(source.getWidth() - cropWidth + 1);
    int y = random.nextInt(source.getHeight() - cropHeight + 1);
    boolean mirrored = random.nextBoolean();
    BufferedImage scene = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scene.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(source, mirrored ? width : 0, 0, mirrored ? 0 : width, height, x, y, x + cropWidth, y + cropHeight,
      null);
    g.dispose();
    return scene;
  }
}
