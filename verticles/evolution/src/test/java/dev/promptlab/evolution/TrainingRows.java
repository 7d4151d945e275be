package dev.promptlab.evolution;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes experiments, options and ratings the way the training flow does (same tables, same constraints), so
 * the evolution verticle is tested against real rows, then gives the event the training flow publishes.
 */
public final class TrainingRows {

  private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000);
  private static final String SHA = "ab".repeat(32);

  /** One option to create and rate. */
  public record Rated(String promptVersion, Long abTestId, int rating, String comment) {
  }

  private TrainingRows() {
  }

  /** Creates one experiment with an option per entry (A, B, ...), rates them all and returns the event. */
  public static RatingsRecorded rateExperiment(String mode, String rater, List<Rated> options) {
    String experimentId = "exp_" + Long.toString(SEQUENCE.incrementAndGet(), 36) + "x0000";
    List<RatedOption> rated = new ArrayList<>();
    try (Connection c = TestDatabase.connect()) {
      c.setAutoCommit(false);
      long original = insertImage(c, "original", null);
      try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO experiments (id, mode, original_image_id, original_image_public_id, strategy)"
          + " VALUES (?, ?, ?, (SELECT public_id FROM images WHERE id = ?), 'random')")) {
        s.setString(1, experimentId);
        s.setString(2, mode);
        s.setLong(3, original);
        s.setLong(4, original);
        s.executeUpdate();
      }
      char option = 'A';
      for (Rated r : options) {
        GenerationParameters parameters = new GenerationParameters(option == 'A' ? "leonardo" : "stablediffusion",
          0.25, 7.0, 0.9);
        long image = insertImage(c, "enhanced", original);
        long optionId;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO experiment_options (experiment_id, option, provider,"
          + " api, strength, guidance_scale, control_weight, prompt_version, ab_test_id, seed, image_id, image_public_id,"
          + " status) VALUES (?, ?, 'local', ?, ?, ?, ?, ?, ?, 1, ?, (SELECT public_id FROM images WHERE id = ?), 'ready')"
          + " RETURNING id")) {
          s.setString(1, experimentId);
          s.setString(2, String.valueOf(option));
          s.setString(3, parameters.api());
          s.setDouble(4, parameters.strength());
          s.setDouble(5, parameters.guidanceScale());
          s.setDouble(6, parameters.controlWeight());
          s.setString(7, r.promptVersion());
          s.setObject(8, r.abTestId());
          s.setLong(9, image);
          s.setLong(10, image);
          optionId = single(s);
        }
        long ratingId;
        try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO ratings (option_id, rating, comment, rated_by) VALUES (?, ?, ?, ?) RETURNING id")) {
          s.setLong(1, optionId);
          s.setInt(2, r.rating());
          s.setString(3, r.comment());
          s.setString(4, rater);
          ratingId = single(s);
        }
        rated.add(new RatedOption(ratingId, String.valueOf(option), parameters, r.promptVersion(), r.abTestId(), r.rating(),
          r.comment(), rater));
        option++;
      }
      c.commit();
      int samples = (int) TestDatabase.count("SELECT count(*) FROM ratings r JOIN experiment_options o"
        + " ON o.id = r.option_id JOIN experiments e ON e.id = o.experiment_id WHERE e.mode = '" + mode + "'");
      return new RatingsRecorded(experimentId, mode, rated, samples);
    } catch (SQLException e) {
      throw new IllegalStateException("could not write training rows", e);
    }
  }

  public static RatingsRecorded rateOne(String version, Long abTestId, int rating, String comment) {
    return rateExperiment("structure", "trainer@example.com", List.of(new Rated(version, abTestId, rating, comment)));
  }

  private static long insertImage(Connection c, String kind, Long parent) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO images (kind, storage, storage_key, content_type, width,"
      + " height, size_bytes, sha256, parent_image_id) VALUES (?, 'local', ?, 'image/png', 8, 8, 64, ?, ?) RETURNING id")) {
      s.setString(1, kind);
      s.setString(2, kind + "/" + SEQUENCE.incrementAndGet() + ".png");
      s.setString(3, SHA);
      s.setObject(4, parent);
      return single(s);
    }
  }

  private static long single(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
