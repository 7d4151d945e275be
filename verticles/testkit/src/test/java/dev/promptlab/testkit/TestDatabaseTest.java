package dev.promptlab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TestDatabaseTest {

  @Test
  void migratedSchemaEnforcesRatingRange() {
    TestDatabase.reset();
    assertEquals(2, TestDatabase.count("SELECT count(*) FROM optimizer_studies"));
    assertThrows(IllegalStateException.class, () -> TestDatabase.execute(
      "INSERT INTO optimizer_observations (study, api, strength, guidance_scale, control_weight, rating) "
        + "VALUES ('structure', 'leonardo', 0.3, 7, 0.9, 6)"));
    TestDatabase.execute("INSERT INTO optimizer_observations (study, api, strength, guidance_scale, control_weight, rating) "
      + "VALUES ('structure', 'leonardo', 0.3, 7, 0.9, 4)");
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM optimizer_observations"));
    TestDatabase.reset();
    assertEquals(0, TestDatabase.count("SELECT count(*) FROM optimizer_observations"));
  }
}
