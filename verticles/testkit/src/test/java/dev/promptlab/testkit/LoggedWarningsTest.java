package dev.promptlab.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggedWarningsTest {

  private final LoggedWarnings warnings = LoggedWarnings.under("dev.promptlab.testkit.sample");

  @Test
  void aWarningBelowTheWatchedLoggerFailsTheTest() {
    warnings.beforeEach(null);
    LoggerFactory.getLogger("dev.promptlab.testkit.sample.Child").warn("could not {}", "finish");
    AssertionError error = assertThrows(AssertionError.class, () -> warnings.afterEach(null));
    assertTrue(error.getMessage().contains("could not finish"), error.getMessage());
  }

  @Test
  void informationAndOtherLoggersPass() {
    warnings.beforeEach(null);
    LoggerFactory.getLogger("dev.promptlab.testkit.sample").info("all fine");
    LoggerFactory.getLogger("dev.promptlab.testkit.other").warn("not watched");
    assertEquals(List.of(), warnings.seen());
    warnings.afterEach(null);
  }

  @Test
  void nothingIsCapturedAfterTheTest() {
    warnings.beforeEach(null);
    warnings.afterEach(null);
    LoggerFactory.getLogger("dev.promptlab.testkit.sample").error("after the test");
    assertEquals(List.of(), warnings.seen());
  }
}
