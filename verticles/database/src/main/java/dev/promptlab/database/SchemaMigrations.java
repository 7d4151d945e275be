package dev.promptlab.database;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings a database to the current schema with the versioned scripts in {@code db/migration}. */
public final class SchemaMigrations {

  private SchemaMigrations() {
  }

  /** Runs pending migrations (blocking) and returns the schema version now in force. */
  public static String migrate(DatabaseSettings settings) {
    MigrateResult result = Flyway.configure()
      .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
      .locations("classpath:db/migration")
      .failOnMissingLocations(true)
      .load()
      .migrate();
    return result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion;
  }
}
