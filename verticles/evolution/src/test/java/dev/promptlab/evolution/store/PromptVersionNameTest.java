package dev.promptlab.evolution.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PromptVersionNameTest {

  @Test
  void parsesAndPrintsSemanticVersions() {
    PromptVersionName name = PromptVersionName.parse("v1.20.3");
    assertEquals(new PromptVersionName(1, 20, 3), name);
    assertEquals("v1.20.3", name.toString());
    assertEquals("v1.20.3.json", name.fileName());
  }

  @Test
  void bumpsEachPart() {
    PromptVersionName name = PromptVersionName.parse("v1.2.3");
    assertEquals("v1.2.4", name.nextPatch().toString());
    assertEquals("v1.3.0", name.nextMinor().toString());
    assertEquals("v2.0.0", name.nextMajor().toString());
  }

  @Test
  void ordersNumericallyNotAlphabetically() {
    List<PromptVersionName> names = new ArrayList<>(List.of(PromptVersionName.parse("v1.0.10"),
      PromptVersionName.parse("v1.0.9"), PromptVersionName.parse("v0.9.99"), PromptVersionName.parse("v10.0.0")));
    names.sort(null);
    assertEquals("[v0.9.99, v1.0.9, v1.0.10, v10.0.0]", names.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "v1.0.0/../../etc", "..", "/etc/passwd", "v1.0.0.json", "v1.0.0/", "V1.0.0",
    "v01.0.0", "v1.0", "v1.0.0.0", "", " v1.0.0", "v1.0.0\n", "v1.0.0\u0000", "v1.0.-1", "v12345.0.0",
    "v1.0.0%2f..", "v1..0", "1.0.0", "v1.0.0\\..\\x"})
  void refusesAnythingButAPlainVersionName(String text) {
    assertFalse(PromptVersionName.isValid(text));
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> PromptVersionName.parse(text));
    assertEquals(PromptStoreException.Reason.INVALID_NAME, e.reason());
    assertTrue(e.getMessage().contains("expected vMAJOR.MINOR.PATCH"), e.getMessage());
  }

  @Test
  void refusesNullAndEscapesControlCharactersInTheMessage() {
    assertThrows(PromptStoreException.class, () -> PromptVersionName.parse(null));
    PromptStoreException e = assertThrows(PromptStoreException.class, () -> PromptVersionName.parse("v1\n\u001b[31m"));
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().contains("\\u000a"), e.getMessage());
  }

  @Test
  void refusesABumpPastTheDatabaseBound() {
    PromptStoreException e = assertThrows(PromptStoreException.class,
      () -> PromptVersionName.parse("v1.0.9999").nextPatch());
    assertEquals(PromptStoreException.Reason.INVALID_NAME, e.reason());
  }
}
