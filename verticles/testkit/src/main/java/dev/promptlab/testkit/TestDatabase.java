package dev.promptlab.testkit;

import dev.promptlab.database.DatabaseSettings;
import dev.promptlab.database.EmbeddedDatabase;
import dev.promptlab.database.SchemaMigrations;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One real embedded PostgreSQL per test JVM, migrated to the current schema, under
 * {@code target/test-postgres}. Tests call {@link #reset()} to start from empty tables and
 * {@link #pgOptions()} for the verticles' {@code db} config slice.
 */
public final class TestDatabase {

  private static EmbeddedDatabase server;
  private static DatabaseSettings settings;

  private TestDatabase() {
  }

  /** Starts (once) and migrates the database; blocking, call it from test set-up, not from an event loop. */
  public static synchronized DatabaseSettings settings() {
    if (server == null) {
      server = EmbeddedDatabase.start(Path.of("target", "test-postgres"), 0, true);
      settings = server.settings();
      SchemaMigrations.migrate(settings);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
    }
    return settings;
  }

  /** The {@code db} config slice (PgConnectOptions JSON). */
  public static JsonObject pgOptions() {
    return new JsonObject(settings().toPgOptions());
  }

  /**
   * Empties every application table (keeps the migration history and the fixed rows the
   * migrations seed, such as one optimizer study per mode).
   */
  public static void reset() {
    List<String> tables = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('flyway_schema_history', 'optimizer_studies')")) {
        while (rs.next()) {
          tables.add('"' + rs.getString(1) + '"');
        }
      }
      if (!tables.isEmpty()) {
        s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
      }
      s.execute("UPDATE optimizer_studies SET phase1_completed_at = NULL, phase1_reason = NULL, model_state = NULL,"
        + " observed_through_rating_id = 0");
    } catch (SQLException e) {
      throw new IllegalStateException("could not reset the test database", e);
    }
  }

  /** A single number from a query, e.g. {@code count("SELECT count(*) FROM ratings")}. */
  public static long count(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Runs a statement (test fixtures). */
  public static void execute(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** A plain JDBC connection for assertions and fixtures. */
  public static Connection connect() throws SQLException {
    DatabaseSettings s = settings();
    return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
  }
}
