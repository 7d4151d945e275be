package dev.promptlab.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  @Test
  void parsesAPostgresUrl() {
    DatabaseSettings s = DatabaseSettings.fromUrl("postgresql://lab:s%40cret@db.internal:6543/promptlab?sslmode=disable");
    assertEquals(new DatabaseSettings("db.internal", 6543, "promptlab", "lab", "s@cret"), s);
    assertEquals("jdbc:postgresql://db.internal:6543/promptlab", s.jdbcUrl());
  }

  @Test
  void defaultsPortAndDatabase() {
    assertEquals(new DatabaseSettings("localhost", 5432, "postgres", "postgres", ""),
      DatabaseSettings.fromUrl("jdbc:postgresql://localhost"));
  }

  @Test
  void refusesOtherSchemesWithoutEchoingSecrets() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> DatabaseSettings.fromUrl("mysql://u:topsecret@h/db"));
    assertFalse(e.getMessage().contains("topsecret"));
    assertFalse(DatabaseSettings.fromUrl("postgres://u:topsecret@h/db").toString().contains("topsecret"));
  }

  @Test
  void writesAUrlThatReadsBackTheSame() {
    DatabaseSettings s = new DatabaseSettings("127.0.0.1", 5433, "postgres", "lab user", "p@ss:w/rd%");
    assertEquals(s, DatabaseSettings.fromUrl(s.url()));
    assertEquals("postgresql://postgres@h:1/db", new DatabaseSettings("h", 1, "db", "postgres", "").url());
  }
}
