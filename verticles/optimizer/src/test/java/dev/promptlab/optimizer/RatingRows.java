package dev.promptlab.optimizer;

import dev.promptlab.contract.GenerationParameters;
import dev.promptlab.contract.Observation;
import dev.promptlab.contract.RatedOption;
import dev.promptlab.contract.RatingsRecorded;
import dev.promptlab.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores rated variants the way the http verticle does (its tables, its constraints, one transaction per
 * experiment of up to two options), so the optimizer reads them through the published view {@code rated_variants},
 * and gives the event the http verticle publishes after the commit.
 */
final class RatingRows {

  private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000);
  private static final String VERSION = "v1.0.0";

  private RatingRows() {
  }

  /** Stores {@code observations} of {@code mode}, two per experiment, and returns one event per experiment. */
  static List<RatingsRecorded> store(String mode, List<Observation> observations) {
    List<RatingsRecorded> events = new ArrayList<>();
    try (Connection c = TestDatabase.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO prompt_versions (version, document, created_at) VALUES ('" + VERSION
          + "', '{}', now()) ON CONFLICT (version) DO NOTHING");
      }
      for (int from = 0; from < observations.size(); from += 2) {
        events.add(experiment(c, mode, observations.subList(from, Math.min(from + 2, observations.size()))));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not store rated variants", e);
    }
    return events;
  }

  private static RatingsRecorded experiment(Connection c, String mode, List<Observation> rated) throws SQLException {
    c.setAutoCommit(false);
    String experimentId = "exp_" + Long.toString(SEQUENCE.incrementAndGet(), 36) + "opt000";
    long original = image(c, "original", null);
    try (PreparedStatement s = c.prepareStatement("INSERT INTO experiments (id, mode, original_image_id,"
      + " original_image_public_id, strategy) VALUES (?, ?, ?, (SELECT public_id FROM images WHERE id = ?), 'gp-ei')")) {
      s.setString(1, experimentId);
      s.setString(2, mode);
      s.setLong(3, original);
      s.setLong(4, original);
      s.executeUpdate();
    }
    List<RatedOption> stored = new ArrayList<>();
    char option = 'A';
    for (Observation o : rated) {
      GenerationParameters p = o.parameters();
      long image = image(c, "enhanced", original);
      long optionId;
      try (PreparedStatement s = c.prepareStatement("INSERT INTO experiment_options (experiment_id, option, provider,"
        + " api, strength, guidance_scale, control_weight, prompt_version, seed, image_id, image_public_id, status)"
        + " VALUES (?, ?, 'local', ?, ?, ?, ?, ?, 1, ?, (SELECT public_id FROM images WHERE id = ?), 'ready') RETURNING id")) {
        s.setString(1, experimentId);
        s.setString(2, String.valueOf(option));
        s.setString(3, p.api());
        s.setDouble(4, p.strength());
        s.setDouble(5, p.guidanceScale());
        s.setDouble(6, p.controlWeight());
        s.setString(7, VERSION);
        s.setLong(8, image);
        s.setLong(9, image);
        optionId = single(s);
      }
      long ratingId;
      try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO ratings (option_id, rating, rated_by) VALUES (?, ?, ?) RETURNING id")) {
        s.setLong(1, optionId);
        s.setInt(2, (int) o.rating());
        s.setString(3, o.rater());
        ratingId = single(s);
      }
      stored.add(new RatedOption(ratingId, String.valueOf(option), p, VERSION, null, (int) o.rating(), null, o.rater()));
      option++;
    }
    c.commit();
    c.setAutoCommit(true);
    int samples = (int) TestDatabase.count("SELECT count(*) FROM rated_variants WHERE mode = '" + mode + "'");
    return new RatingsRecorded(experimentId, mode, stored, samples);
  }

  private static long image(Connection c, String kind, Long parent) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO images (kind, storage, storage_key, content_type, width,"
      + " height, size_bytes, sha256, parent_image_id) VALUES (?, 'local', ?, 'image/png', 8, 8, 64, ?, ?) RETURNING id")) {
      s.setString(1, kind);
      s.setString(2, kind + "/" + SEQUENCE.incrementAndGet() + ".png");
      s.setString(3, "ab".repeat(32));
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
