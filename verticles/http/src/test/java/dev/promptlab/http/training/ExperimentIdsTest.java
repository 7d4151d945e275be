package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExperimentIdsTest {

  @Test
  void experimentIdsFollowTheSchemaRule() {
    for (int i = 0; i < 100; i++) {
      assertTrue(ExperimentIds.next().matches("^exp_[0-9a-z]{13}$"));
    }
  }
}
