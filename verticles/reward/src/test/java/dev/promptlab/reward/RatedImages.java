package dev.promptlab.reward;

import dev.promptlab.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import dev.promptlab.contract.Addresses;
import dev.promptlab.contract.FailureCodes;
import dev.promptlab.contract.ImageReadRequest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Rated variants as the http verticle stores them (its tables, one transaction per experiment), with real image
 * bytes held here and served on the generation verticle's image-read address, as a stand-in neighbour: a
 * variant is the original blurred and brightened by an amount the rating follows, so a model can learn it.
 */
final class RatedImages {

  /** Per instance, so a test's experiment ids (and so its held-out split) are the same on every run. */
  private final AtomicLong sequence = new AtomicLong();
  private final Map<Long, byte[]> bytes = new ConcurrentHashMap<>();
  private final Random random = new Random(5);

  /** The ids of one stored experiment's original and its two variants. */
  record Experiment(long original, long variantA, long variantB) {
  }

  /** Answers image reads from the bytes stored here; an id not here is NOT_FOUND, as generation answers. */
  void serve(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Addresses.GENERATION_IMAGE_READ, message -> {
      long id = ImageReadRequest.fromJson(message.body()).imageId();
      byte[] image = bytes.get(id);
      if (image == null) {
        message.fail(FailureCodes.NOT_FOUND, "no image " + id);
      } else {
        message.reply(Buffer.buffer(image), new DeliveryOptions().addHeader(ImageReadRequest.CONTENT_TYPE_HEADER,
          "image/png"));
      }
    });
  }

  /** Forgets an image's bytes, as if its file were lost. */
  void lose(long imageId) {
    bytes.remove(imageId);
  }

  /** Stores {@code count} rated experiments, two variants each, rated by how little each variant was degraded. */
  void store(int count, String rater) {
    for (int i = 0; i < count; i++) {
      experiment(rater);
    }
  }

  Experiment experiment(String rater) {
    BufferedImage original = scene();
    double a = random.nextDouble();
    double b = random.nextDouble();
    try (Connection c = TestDatabase.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO prompt_versions (version, document, created_at) VALUES ('v1.0.0', '{}', now())"
          + " ON CONFLICT (version) DO NOTHING");
      }
      c.setAutoCommit(false);
      long originalId = image(c, "original", null, original);
      String experimentId = "exp_" + Long.toString(sequence.incrementAndGet(), 36) + "rwd000";
      try (PreparedStatement s = c.prepareStatement("INSERT INTO experiments (id, mode, original_image_id,"
        + " original_image_public_id, strategy) VALUES (?, 'structure', ?, (SELECT public_id FROM images WHERE id = ?),"
        + " 'gp-ei')")) {
        s.setString(1, experimentId);
        s.setLong(2, originalId);
        s.setLong(3, originalId);
        s.executeUpdate();
      }
      long variantA = option(c, experimentId, "A", originalId, degrade(original, a), rating(a), rater);
      long variantB = option(c, experimentId, "B", originalId, degrade(original, b), rating(b), rater);
      c.commit();
      return new Experiment(originalId, variantA, variantB);
    } catch (SQLException e) {
      throw new IllegalStateException("could not store a rated experiment", e);
    }
  }

  /** PNG bytes of a fresh scene, for extraction requests. */
  byte[] png() {
    return encode(scene());
  }

  private static int rating(double degradation) {
    return (int) Math.max(1, Math.min(5, Math.round(5 - 4 * degradation)));
  }

  private long option(Connection c, String experimentId, String option, long originalId, BufferedImage variant,
                      int rating, String rater) throws SQLException {
    long imageId = image(c, "enhanced", originalId, variant);
    long optionId;
    try (PreparedStatement s = c.prepareStatement("INSERT INTO experiment_options (experiment_id, option, provider,"
      + " api, strength, guidance_scale, control_weight, prompt_version, seed, image_id, image_public_id, status)"
      + " VALUES (?, ?, 'local', 'leonardo', 0.3, 7, 0.9, 'v1.0.0', 1, ?, (SELECT public_id FROM images WHERE id = ?),"
      + " 'ready') RETURNING id")) {
      s.setString(1, experimentId);
      s.setString(2, option);
      s.setLong(3, imageId);
      s.setLong(4, imageId);
      optionId = single(s);
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO ratings (option_id, rating, rated_by) VALUES (?, ?, ?)")) {
      s.setLong(1, optionId);
      s.setInt(2, rating);
      s.setString(3, rater);
      s.executeUpdate();
    }
    return imageId;
  }

  private long image(Connection c, String kind, Long parent, BufferedImage image) throws SQLException {
    long id;
    try (PreparedStatement s = c.prepareStatement("INSERT INTO images (kind, storage, storage_key, content_type, width,"
      + " height, size_bytes, sha256, parent_image_id) VALUES (?, 'local', ?, 'image/png', ?, ?, 64, ?, ?) RETURNING id")) {
      s.setString(1, kind);
      s.setString(2, kind + "/" + sequence.incrementAndGet() + ".png");
      s.setInt(3, image.getWidth());
      s.setInt(4, image.getHeight());
      s.setString(5, "ab".repeat(32));
      s.setObject(6, parent);
      id = single(s);
    }
    bytes.put(id, encode(image));
    return id;
  }

  private BufferedImage scene() {
    BufferedImage image = new BufferedImage(96, 72, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.getHSBColor(random.nextFloat(), 0.2f, 0.8f));
    g.fillRect(0, 0, 96, 72);
    for (int i = 0; i < 6; i++) {
      g.setColor(Color.getHSBColor(random.nextFloat(), 0.6f, 0.3f + 0.6f * random.nextFloat()));
      g.fillRect(random.nextInt(80), random.nextInt(60), 8 + random.nextInt(30), 6 + random.nextInt(20));
    }
    g.dispose();
    return image;
  }

  /** Blurs and brightens by {@code amount} in 0-1. */
  private static BufferedImage degrade(BufferedImage original, double amount) {
    int radius = (int) Math.round(3 * amount);
    BufferedImage out = original;
    if (radius > 0) {
      int size = 2 * radius + 1;
      float[] box = new float[size * size];
      java.util.Arrays.fill(box, 1f / box.length);
      out = new ConvolveOp(new Kernel(size, size, box), ConvolveOp.EDGE_NO_OP, null).filter(original, null);
    }
    BufferedImage lit = new BufferedImage(out.getWidth(), out.getHeight(), BufferedImage.TYPE_INT_RGB);
    int lift = (int) Math.round(60 * amount);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        int p = out.getRGB(x, y);
        int r = Math.min(255, ((p >> 16) & 0xff) + lift);
        int gr = Math.min(255, ((p >> 8) & 0xff) + lift);
        int b = Math.min(255, (p & 0xff) + lift);
        lit.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    return lit;
  }

  private static byte[] encode(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
