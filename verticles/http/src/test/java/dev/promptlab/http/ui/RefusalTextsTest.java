package dev.promptlab.http.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.promptlab.contract.RefusedRow;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefusalTextsTest {

  private static final Messages MESSAGES = Messages.load();

  @Test
  void aRefusalIsSaidInThePageLanguageWithItsArguments() {
    RefusedRow duplicate = new RefusedRow(5, "duplicate id c2 (first on line 2)", "duplicate_id",
      Map.of("id", "c2", "first_line", "2"));
    assertEquals("id c2 repetido (ya estaba en la línea 2).", RefusalTexts.of(duplicate, MESSAGES.of("es"), "es"));
    assertEquals("Duplicate id c2 (first on line 2).", RefusalTexts.of(duplicate, MESSAGES.of("en"), "en"));
  }

  @Test
  void aRowWithoutACodeIsGivenItsEnglishReasonOnlyOnAnEnglishPage() {
    RefusedRow old = new RefusedRow(3, "expected is missing", null, Map.of());
    assertEquals("expected is missing", RefusalTexts.of(old, MESSAGES.of("en"), "en"));
    assertEquals("La fila no se pudo usar.", RefusalTexts.of(old, MESSAGES.of("es"), "es"));
    RefusedRow unknown = new RefusedRow(3, "a reason from a newer textopt", "newer_code", Map.of());
    assertEquals("La fila no se pudo usar.", RefusalTexts.of(unknown, MESSAGES.of("es"), "es"));
  }

  @Test
  void everyCodeTextoptGivesHasATextInBothLanguages() {
    for (String code : Set.of("input_missing", "input_empty", "expected_missing", "field_too_long", "id_too_long",
      "duplicate_id", "invalid_json", "not_an_object", "bad_id", "field_count", "quote_in_field", "text_after_quote",
      "unclosed_quote")) {
      for (String lang : Messages.LANGUAGES) {
        assertNotNull(MESSAGES.of(lang).get("refusal_" + code), lang + " " + code);
      }
    }
  }
}
