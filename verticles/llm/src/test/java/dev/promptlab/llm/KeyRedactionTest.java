package dev.promptlab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyRedactionTest {

  private final KeyRedaction redaction = new KeyRedaction("local-secret-7");

  @Test
  void theConfiguredKeyAndKeyShapedTextAreRemoved() {
    assertEquals("bad key [redacted] for [redacted] and [redacted]",
      redaction.clean("bad key local-secret-7 for sk-proj-abc_DEF-123456 and AIzaSyD0123456789abcdefghijklm"));
    assertEquals("[redacted]", redaction.clean("key-0123456789"));
  }

  @Test
  void wordsThatOnlyContainAKeyPrefixStay() {
    assertEquals("model task-classifier-v1 not found; use a risk-analysis model",
      redaction.clean("model task-classifier-v1 not found; use a risk-analysis model"));
    assertEquals("monkey-business-2024 is not a key", redaction.clean("monkey-business-2024 is not a key"));
  }

  @Test
  void longTextIsCutAndNullIsEmpty() {
    assertEquals(301, redaction.clean("x".repeat(1000)).length());
    assertEquals("", redaction.clean(null));
  }
}
