package dev.promptlab.optimizer;

import dev.promptlab.contract.ExperimentCreated;
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
  /** The challenger of {@link #storeAbPair}'s A/B test. */
  static final String CANDIDATE = "v1.0.1";

  /** One rated option: its observation, prompt version and A/B test (null outside a test). */
  private record Arm(Observation observation, String version, Long abTestId) {
  }

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
        events.add(experiment(c, mode, observations.subList(from, Math.min(from + 2, observations.size())).stream()
          .map(o -> new Arm(o, VERSION, null)).toList()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not store rated variants", e);
    }
    return events;
  }

  /**
   * Stores one experiment of the running A/B test of {@link #CANDIDATE} against v1.0.0 as the http verticle does
   * while a test runs: both options at the same parameters, option A the control, B the candidate.
   */
  static RatingsRecorded storeAbPair(String mode, Observation control, Observation candidate) {
    try (Connection c = TestDatabase.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO prompt_versions (version, document, created_at) VALUES ('" + VERSION
          + "', '{}', now()), ('" + CANDIDATE + "', '{}', now()) ON CONFLICT (version) DO NOTHING");
        s.execute("INSERT INTO ab_tests (control_version, candidate_version, status, samples_per_arm) SELECT '"
          + VERSION + "', '" + CANDIDATE + "', 'running', 5 WHERE NOT EXISTS (SELECT 1 FROM ab_tests)");
      }
      long test = TestDatabase.count("SELECT id FROM ab_tests");
      return experiment(c, mode, List.of(new Arm(control, VERSION, test), new Arm(candidate, CANDIDATE, test)));
    } catch (SQLException e) {
      throw new IllegalStateException("could not store an A/B pair", e);
    }
  }

  /** A best-of-N candidate the reward model predicted and the trainer never saw. */
  record Unshown(GenerationParameters parameters, double predictedRating, double uncertainty) {
  }

  /**
   * Stores one best-of-N experiment of {@code mode} as the http verticle does when the reward model chose its two
   * options: the experiment and, among its candidates, {@code unshown} with their predictions (the two shown ones
   * are left out: nothing here rates them). Returns the event the http verticle publishes after the commit.
   */
  static ExperimentCreated storeUnshown(String mode, List<Unshown> unshown) {
    try (Connection c = TestDatabase.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO prompt_versions (version, document, created_at) VALUES ('" + VERSION
          + "', '{}', now()) ON CONFLICT (version) DO NOTHING");
      }
      c.setAutoCommit(false);
      String experimentId = "exp_" + Long.toString(SEQUENCE.incrementAndGet(), 36) + "bon000";
      long original = image(c, "original", null);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO experiments (id, mode, original_image_id,"
        + " original_image_public_id, strategy, selection) VALUES (?, ?, ?, (SELECT public_id FROM images WHERE id = ?),"
        + " 'gp-ei', 'reward-model')")) {
        s.setString(1, experimentId);
        s.setString(2, mode);
        s.setLong(3, original);
        s.setLong(4, original);
        s.executeUpdate();
      }
      int candidate = 3;
      for (Unshown u : unshown) {
        GenerationParameters p = u.parameters();
        long image = image(c, "enhanced", original);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO experiment_candidates (experiment_id, candidate, role,"
          + " provider, api, strength, guidance_scale, control_weight, prompt_version, seed, image_id, image_public_id,"
          + " predicted_rating, uncertainty, model_version) VALUES (?, ?, 'unshown', 'local', ?, ?, ?, ?, ?, 1, ?,"
          + " (SELECT public_id FROM images WHERE id = ?), ?, ?, 1)")) {
          s.setString(1, experimentId);
          s.setInt(2, candidate++);
          s.setString(3, p.api());
          s.setDouble(4, p.strength());
          s.setDouble(5, p.guidanceScale());
          s.setDouble(6, p.controlWeight());
          s.setString(7, VERSION);
          s.setLong(8, image);
          s.setLong(9, image);
          s.setDouble(10, u.predictedRating());
          s.setDouble(11, u.uncertainty());
          s.executeUpdate();
        }
      }
      c.commit();
      return new ExperimentCreated(experimentId, mode, 2, 0, "gp-ei");
    } catch (SQLException e) {
      throw new IllegalStateException("could not store a best-of-N experiment", e);
    }
  }

  private static RatingsRecorded experiment(Connection c, String mode, List<Arm> rated) throws SQLException {
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
    for (Arm arm : rated) {
      Observation o = arm.observation();
      GenerationParameters p = o.parameters();
      long image = image(c, "enhanced", original);
      long optionId;
      try (PreparedStatement s = c.prepareStatement("INSERT INTO experiment_options (experiment_id, option, provider,"
        + " api, strength, guidance_scale, control_weight, prompt_version, seed, image_id, image_public_id, status,"
        + " ab_test_id) VALUES (?, ?, 'local', ?, ?, ?, ?, ?, 1, ?, (SELECT public_id FROM images WHERE id = ?), 'ready', ?)"
        + " RETURNING id")) {
        s.setString(1, experimentId);
        s.setString(2, String.valueOf(option));
        s.setString(3, p.api());
        s.setDouble(4, p.strength());
        s.setDouble(5, p.guidanceScale());
        s.setDouble(6, p.controlWeight());
        s.setString(7, arm.version());
        s.setLong(8, image);
        s.setLong(9, image);
        s.setObject(10, arm.abTestId());
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
      stored.add(new RatedOption(ratingId, String.valueOf(option), p, arm.version(), arm.abTestId(), (int) o.rating(),
        null, o.rater()));
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
