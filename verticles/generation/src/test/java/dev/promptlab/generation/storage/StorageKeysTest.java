package dev.promptlab.generation.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageKeysTest {

  @Test
  void generatedNamesAreValidUniqueAndGroupedByDay() {
    String a = StorageKeys.newName("png", LocalDate.of(2025, 3, 7));
    String b = StorageKeys.newName("png", LocalDate.of(2025, 3, 7));
    assertTrue(a.startsWith("2025/03/07/") && a.endsWith(".png"), a);
    assertTrue(StorageKeys.isValid(a));
    assertTrue(StorageKeys.isValid("originals/" + a));
    assertNotEquals(a, b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/etc/passwd", "../secret", "originals/../../x.png", "originals//x.png", "originals/./x.png",
    "originals/x..png", "Originals/X.png", "originals\\x.png", "originals/x.png/", "originals/ x.png", "originals/%2e%2e/x",
    ".hidden", "originals/.tmp"})
  void refusesPathTricks(String key) {
    assertFalse(StorageKeys.isValid(key), key);
    assertThrows(IllegalArgumentException.class, () -> StorageKeys.requireValid(key));
  }

  @Test
  void refusesNullAndOverlongKeys() {
    assertFalse(StorageKeys.isValid(null));
    assertFalse(StorageKeys.isValid("a".repeat(513)));
    assertThrows(IllegalArgumentException.class, () -> StorageKeys.newName("../png"));
  }
}
