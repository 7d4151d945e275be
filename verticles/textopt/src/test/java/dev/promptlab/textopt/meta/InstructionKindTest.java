package dev.promptlab.textopt.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InstructionKindTest {

  private static int count(InstructionKind kind, String text) {
    return InstructionKind.count(text)[kind.ordinal()];
  }

  @Test
  void aSentenceCountsOnceHoweverManyOfItsWordsMatch() {
    assertEquals(1, count(InstructionKind.STEP_BY_STEP, "Think step by step and explain your reasoning."));
    assertEquals(2, count(InstructionKind.STEP_BY_STEP, "Think step by step. Then explain your reasoning!"));
    assertEquals(2, count(InstructionKind.STEP_BY_STEP, "Think it over\nExplain it"));
  }

  @Test
  void eachKindIsRecognisedWhateverTheCase() {
    assertEquals(1, count(InstructionKind.ROLE, "YOU ARE an expert accountant."));
    assertEquals(1, count(InstructionKind.FORMAT_CONSTRAINT, "Reply with the value ONLY."));
    assertEquals(1, count(InstructionKind.EXAMPLES, "Invoice 9 from Globex -> Globex."));
    assertEquals(1, count(InstructionKind.LENGTH_LIMIT, "Keep it under 20 words."));
    assertEquals(1, count(InstructionKind.JSON_SCHEMA, "Return {\"value\": ...}."));
    assertEquals(1, count(InstructionKind.JSON_SCHEMA, "Return a Json object."));
  }

  @Test
  void wordsInsideOtherWordsAndPlainTextDoNotCount() {
    // "keyboard" is not "key", "thinking" is not "think", "shortage" is not "short".
    assertArrayEquals(new int[InstructionKind.values().length],
      InstructionKind.count("The keyboard shortage kept everyone thinking."));
    assertArrayEquals(new int[InstructionKind.values().length], InstructionKind.count(""));
  }
}
