package dev.promptlab.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's reporting schema (migration V8) on a migrated database holding one rated experiment: each view in
 * {@code seed_reporting} answers with the seed's column names, in the seed's order, and the values of our rows.
 */
class SeedReportingViewsTest {

  /** The seed's tables and their columns (seed 002, "Database Schema Relationships"). */
  private static final Map<String, List<String>> SEED_COLUMNS = Map.of(
    "images", List.of("id", "project_id", "image_type", "s3_bucket", "s3_key", "width", "height", "metadata",
      "parent_image_id"),
    "enhancement_ratings", List.of("id", "image_id", "option", "rating", "comments", "rated_by", "rated_at"),
    "prompt_versions", List.of("id", "version", "prompt", "negative_prompt", "created_at", "performance_score",
      "usage_count"),
    "parameter_experiments", List.of("id", "image_id", "prompt_version_id", "init_strength", "guidance_scale",
      "controlnet_weight", "rating", "created_at"));

  private static EmbeddedDatabase database;

  @BeforeAll
  static void migratedDatabaseWithOneRatedExperiment() throws Exception {
    Files.createDirectories(Path.of("target"));
    database = EmbeddedDatabase.start(Files.createTempDirectory(Path.of("target").toAbsolutePath(), "reporting-")
      .resolve("postgres"), 0, true);
    SchemaMigrations.migrate(database.settings());
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO prompt_versions (version, document, is_current, avg_rating, sample_count, created_at)"
        + " VALUES ('v1.2.3', '{\"leonardo\": {\"prompt\": \"photorealistic interior\", \"negative_prompt\": \"cartoon\"},"
        + " \"stablediffusion\": {\"prompt\": \"sd interior\", \"negative_prompt\": \"sketch\"}}', TRUE, 4.5, 1,"
        + " '2025-01-19T10:00:00Z')");
      s.execute("INSERT INTO images (id, kind, storage, bucket, storage_key, content_type, width, height, size_bytes,"
        + " sha256, project_id) VALUES (1, 'original', 's3', 'latina-uploads', 'originals/a.png', 'image/png', 640,"
        + " 480, 1000, '" + "ab".repeat(32) + "', 'project-7')");
      s.execute("INSERT INTO images (id, kind, storage, storage_key, content_type, width, height, size_bytes, sha256,"
        + " parent_image_id) VALUES (2, 'enhanced', 'local', 'enhanced/b.png', 'image/png', 640, 480, 900, '"
        + "cd".repeat(32) + "', 1), (3, 'enhanced', 'local', 'enhanced/c.png', 'image/png', 640, 480, 900, '"
        + "ef".repeat(32) + "', 1)");
      s.execute("INSERT INTO experiments (id, mode, original_image_id, original_image_public_id, strategy)"
        + " SELECT 'exp_report01', 'structure', 1, public_id, 'gp-ei' FROM images WHERE id = 1");
      s.execute("INSERT INTO experiment_options (id, experiment_id, option, provider, api, strength, guidance_scale,"
        + " control_weight, prompt_version, seed, image_id, image_public_id, status) SELECT 10 + id, 'exp_report01',"
        + " CASE id WHEN 2 THEN 'A' ELSE 'B' END, 'local', 'leonardo', 0.25, 7.5, 0.9, 'v1.2.3', 1, id, public_id,"
        + " 'ready' FROM images WHERE id IN (2, 3)");
      s.execute("INSERT INTO ratings (id, option_id, rating, comment, rated_by) VALUES (5, 12, 4, 'good depth',"
        + " 'trainer@example.com')");
    }
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void eachViewHasTheSeedsColumns() throws Exception {
    for (Map.Entry<String, List<String>> table : SEED_COLUMNS.entrySet()) {
      try (Connection c = connect(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT * FROM seed_reporting." + table.getKey())) {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.add(meta.getColumnName(i));
        }
        assertEquals(table.getValue(), columns, "columns of seed_reporting." + table.getKey());
        assertTrue(rs.next(), "seed_reporting." + table.getKey() + " shows our rows");
      }
    }
  }

  @Test
  void aSeedQueryFindsOurRowsUnderTheSeedsNames() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET search_path = seed_reporting");
      try (ResultSet rs = s.executeQuery("SELECT i.image_type, i.s3_key, i.project_id, r.option, r.rating, r.comments,"
        + " r.rated_by, p.version, p.prompt, p.negative_prompt, p.performance_score, p.usage_count,"
        + " e.init_strength, e.guidance_scale, e.controlnet_weight, e.rating AS experiment_rating"
        + " FROM enhancement_ratings r JOIN images i ON i.id = r.image_id"
        + " JOIN parameter_experiments e ON e.image_id = r.image_id"
        + " JOIN prompt_versions p ON p.id = e.prompt_version_id")) {
        assertTrue(rs.next());
        assertEquals("enhanced", rs.getString("image_type"));
        assertEquals("enhanced/b.png", rs.getString("s3_key"));
        assertNull(rs.getString("project_id"));
        assertEquals("A", rs.getString("option"));
        assertEquals(4, rs.getInt("rating"));
        assertEquals("good depth", rs.getString("comments"));
        assertEquals("trainer@example.com", rs.getString("rated_by"));
        assertEquals("v1.2.3", rs.getString("version"));
        assertEquals("photorealistic interior", rs.getString("prompt"));
        assertEquals("cartoon", rs.getString("negative_prompt"));
        assertEquals(4.5, rs.getDouble("performance_score"));
        assertEquals(1, rs.getInt("usage_count"));
        assertEquals(0.25, rs.getDouble("init_strength"));
        assertEquals(7.5, rs.getDouble("guidance_scale"));
        assertEquals(0.9, rs.getDouble("controlnet_weight"));
        assertEquals(4, rs.getInt("experiment_rating"));
        assertFalse(rs.next(), "one rating");
      }
      try (ResultSet rs = s.executeQuery("SELECT id, s3_bucket, project_id, parent_image_id FROM images ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals("latina-uploads", rs.getString("s3_bucket"));
        assertEquals("project-7", rs.getString("project_id"));
        assertTrue(rs.next());
        assertNull(rs.getString("s3_bucket"), "a local image has no bucket");
        assertEquals(1, rs.getLong("parent_image_id"));
      }
      try (ResultSet rs = s.executeQuery("SELECT id, rating FROM parameter_experiments ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getInt("rating"));
        assertTrue(rs.next());
        assertNull(rs.getObject("rating"), "the unrated variant is listed without a rating");
      }
      try (ResultSet rs = s.executeQuery("SELECT id FROM prompt_versions")) {
        assertTrue(rs.next());
        assertEquals(100_020_003L, rs.getLong("id"), "v1.2.3 numbered from its name");
      }
    }
  }

  @Test
  void theViewsRefuseWrites() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String write : List.of(
        "UPDATE seed_reporting.images SET width = 1",
        "DELETE FROM seed_reporting.prompt_versions",
        "INSERT INTO seed_reporting.images (id, image_type, s3_key, width, height) VALUES (9, 'original', 'k', 1, 1)",
        "UPDATE seed_reporting.enhancement_ratings SET rating = 1",
        "DELETE FROM seed_reporting.parameter_experiments")) {
        SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(write), write);
        assertTrue(refused.getMessage().contains("read-only report view"), write + ": " + refused.getMessage());
      }
      try (ResultSet rs = s.executeQuery("SELECT width FROM public.images WHERE id = 1")) {
        assertTrue(rs.next());
        assertEquals(640, rs.getInt(1), "our table is unchanged");
      }
    }
  }

  private static Connection connect() throws SQLException {
    DatabaseSettings s = database.settings();
    return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
  }
}
