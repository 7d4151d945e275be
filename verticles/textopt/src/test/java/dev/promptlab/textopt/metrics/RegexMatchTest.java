package dev.promptlab.textopt.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegexMatchTest {

  @Test
  void theWholeStrippedOutputMustMatch() {
    RegexMatch date = new RegexMatch("\\d{4}-\\d{2}-\\d{2}");
    assertEquals(1.0, date.score("2024-03-01", "ignored").value());
    assertEquals(1.0, date.score("  2024-03-01\n", "").value(), "surrounding whitespace is not content");
    assertEquals(0.0, date.score("The date is 2024-03-01", "").value(), "a match inside the text is not enough");
    assertEquals(0.0, date.score("2024-03-01 or so", "").value());
    assertTrue(date.score("2024-3-1", "").explanation().isEmpty(), "a plain mismatch needs no explanation");
  }

  @Test
  void emptyOutputsMatchOnlyPatternsThatAllowThem() {
    assertEquals(0.0, new RegexMatch("[A-D]").score("", "").value());
    assertEquals(1.0, new RegexMatch("(yes)?").score("", "").value());
    assertEquals(1.0, new RegexMatch("(yes)?").score(" \n", "").value());
  }

  @Test
  void unicodeIsMatchedByCodePoint() {
    assertEquals(1.0, new RegexMatch("\\p{L}+ 🙂").score("canción 🙂", "").value());
    assertEquals(1.0, new RegexMatch(".").score("🙂", "").value(), "one emoji is one character to the pattern");
    assertEquals(1.0, new RegexMatch("(?iu)ÁRBOL").score("árbol", "").value());
  }

  @Test
  void catastrophicBacktrackingIsCutByTheStepBudget() {
    // (.*a){12} on 40 a's and a final b tries every way to cut the a's into 12 pieces before failing: about
    // 40^12 / 12! attempts (the JDK defuses simpler traps such as (a+)+b itself). The budget ends it.
    Score score = new RegexMatch("(.*a){12}").score("a".repeat(40) + "b", "");
    assertEquals(0.0, score.value());
    assertTrue(score.explanation().orElseThrow().startsWith("the pattern needed more than 5000000 steps"),
      score.explanation().orElseThrow());
    // The same pattern on an output it matches quickly is fine.
    assertEquals(1.0, new RegexMatch("(.*a){12}").score("a".repeat(40), "").value());
  }

  @Test
  void aSmallBudgetIsHonouredExactly() {
    RegexMatch tight = new RegexMatch("a*", 100, 10);
    assertEquals(1.0, tight.score("a".repeat(9), "").value());
    assertEquals(0.0, tight.score("a".repeat(11), "").value());
  }

  @Test
  void veryLongOutputsAreBoundedByLength() {
    RegexMatch anything = new RegexMatch("[a-z]+");
    assertEquals(1.0, anything.score("a".repeat(RegexMatch.DEFAULT_MAX_INPUT_LENGTH), "").value());
    Score tooLong = anything.score("a".repeat(RegexMatch.DEFAULT_MAX_INPUT_LENGTH + 1), "");
    assertEquals(0.0, tooLong.value());
    assertEquals("the output is 20001 characters long; the pattern is tried on at most 20000",
      tooLong.explanation().orElseThrow());
  }

  @Test
  void deepRecursionIsRetriedOnALargeStack() {
    // An alternation inside a repeated group recurses once per repetition in java.util.regex: 20 000 characters
    // overflow an ordinary stack, and the retry on a large one matches.
    String alternating = "ab".repeat(10_000);
    assertEquals(1.0, new RegexMatch("(a|b)*").score(alternating, "").value());
    assertEquals(0.0, new RegexMatch("(a|b)*").score(alternating + "c", "").value());
    // A retry stack too small to help: the row scores 0 with the reason rather than failing the run.
    Score score = new RegexMatch("(a|b)*", 20_000, Long.MAX_VALUE, 256 * 1024).score(alternating, "");
    assertEquals(0.0, score.value());
    assertEquals("the pattern recursed too deeply on this output; counted as no match",
      score.explanation().orElseThrow());
  }

  @Test
  void badPatternsAndBoundsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RegexMatch("(unclosed"));
    assertTrue(e.getMessage().startsWith("not a valid regular expression: Unclosed group"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RegexMatch("a", 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new RegexMatch("a", 10, 0));
    assertThrows(NullPointerException.class, () -> new RegexMatch("a").score(null, ""));
  }
}
