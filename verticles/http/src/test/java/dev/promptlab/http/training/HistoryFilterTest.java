package dev.promptlab.http.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptlab.http.web.ApiError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryFilterTest {

  private static HistoryFilter parse(Map<String, String> query) {
    return HistoryFilter.parse(query::get);
  }

  @Test
  void defaults() {
    assertEquals(new HistoryFilter(50, null, null, null), parse(Map.of()));
  }

  @Test
  void readsEveryFilter() {
    assertEquals(new HistoryFilter(500, 3.5, "leonardo", "surfaces"),
      parse(Map.of("limit", "500", "min_rating", "3.5", "api", "leonardo", "mode", "surfaces")));
  }

  @Test
  void refusesInvalidValues() {
    for (Map<String, String> query : new Map[] {Map.of("limit", "0"), Map.of("limit", "501"), Map.of("limit", "1e3"),
      Map.of("min_rating", "NaN"), Map.of("min_rating", "0.5"), Map.of("api", "LEONARDO"), Map.of("mode", "")}) {
      assertEquals(400, assertThrows(ApiError.class, () -> parse(query)).status(), query.toString());
    }
  }
}
