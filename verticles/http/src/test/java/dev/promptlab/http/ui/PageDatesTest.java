package dev.promptlab.http.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PageDatesTest {

  @Test
  void anInstantIsWrittenAsThePageLanguageWritesDatesInUtc() {
    assertEquals("7 dic 2026 9:05 UTC", PageDates.of("2026-12-07T09:05:30Z", "es"));
    assertEquals("Dec 7, 2026, 9:05 AM UTC", PageDates.of("2026-12-07T09:05:30Z", "en"));
  }

  @Test
  void whatIsNotAnInstantIsShownAsSentAndNothingStaysNothing() {
    assertEquals("2026-12-07 09:05", PageDates.of("2026-12-07 09:05", "es"));
    assertNull(PageDates.of(null, "es"));
  }
}
