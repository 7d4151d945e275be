package dev.promptlab.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A separate process for {@link EmbeddedDatabaseTest}: starts the embedded database on the directory given
 * as its argument, commits one row, prints {@code READY} and waits to be killed.
 */
public final class HoldDatabase {

  private HoldDatabase() {
  }

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0, false);
    DatabaseSettings s = database.settings();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
         Statement statement = c.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS survivors (id serial PRIMARY KEY, note text)");
      statement.execute("INSERT INTO survivors (note) VALUES ('" + args[1] + "')");
    }
    System.out.println("READY " + s.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
