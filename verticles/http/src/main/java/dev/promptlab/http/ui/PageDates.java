package dev.promptlab.http.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * Instants as a page's language writes them ({@code 7 dic 2026 9:52 UTC}, {@code Dec 7, 2026, 9:52 AM UTC}): the
 * records carry ISO-8601 text, which is no one's way of reading a date. Times are UTC, and say so.
 */
final class PageDates {

  private PageDates() {
  }

  /** {@code iso} (an ISO-8601 instant) in {@code lang}'s medium date and short time; null stays null. */
  static String of(String iso, String lang) {
    if (iso == null) {
      return null;
    }
    Instant instant;
    try {
      instant = Instant.parse(iso);
    } catch (DateTimeParseException e) {
      // A neighbour's own format is still a date to its reader; better shown as sent than not at all.
      return iso;
    }
    DateTimeFormatter format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
      .withLocale(Locale.forLanguageTag(lang)).withZone(ZoneOffset.UTC);
    return format.format(instant) + " UTC";
  }
}
