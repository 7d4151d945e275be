package dev.promptlab.http.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.http.ui.LineDiff.Kind;
import dev.promptlab.http.ui.LineDiff.Line;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LineDiffTest {

  /** The diff in the unified form people read: " " kept, "-" removed, "+" added. */
  private static String unified(List<Line> diff) {
    return diff.stream().map(l -> (l.kind() == Kind.SAME ? " " : l.kind() == Kind.REMOVED ? "-" : "+") + l.text())
      .collect(Collectors.joining("\n"));
  }

  /** Applying the diff to either side gives that side back: kept and removed lines are the old text, kept and added the new. */
  private static void rebuildsBothSides(String before, String after, List<Line> diff) {
    assertEquals(LineDiff.lines(before), diff.stream().filter(l -> l.kind() != Kind.ADDED).map(Line::text).toList());
    assertEquals(LineDiff.lines(after), diff.stream().filter(l -> l.kind() != Kind.REMOVED).map(Line::text).toList());
  }

  @Test
  void equalTextsAreTheSameLineByLine() {
    List<Line> diff = LineDiff.of("a\nb", "a\nb");
    assertTrue(LineDiff.same(diff));
    assertEquals(List.of(new Line(Kind.SAME, "a", 1, 1), new Line(Kind.SAME, "b", 2, 2)), diff);
  }

  @Test
  void aChangedLineInTheMiddleIsRemovedThenAddedWithBothNumberings() {
    List<Line> diff = LineDiff.of("You extract names.\nAnswer briefly.\nBe polite.",
      "You extract names.\nAnswer with the name only.\nBe polite.");
    assertEquals(List.of(new Line(Kind.SAME, "You extract names.", 1, 1),
      new Line(Kind.REMOVED, "Answer briefly.", 2, null),
      new Line(Kind.ADDED, "Answer with the name only.", null, 2),
      new Line(Kind.SAME, "Be polite.", 3, 3)), diff);
    assertFalse(LineDiff.same(diff));
  }

  @Test
  void keepsTheLongestCommonSubsequenceOfLines() {
    // The classic example: ABCABBA to CBABAC has an LCS of four lines.
    String before = String.join("\n", "A", "B", "C", "A", "B", "B", "A");
    String after = String.join("\n", "C", "B", "A", "B", "A", "C");
    List<Line> diff = LineDiff.of(before, after);
    assertEquals(4, diff.stream().filter(l -> l.kind() == Kind.SAME).count(), unified(diff));
    rebuildsBothSides(before, after, diff);
  }

  @Test
  void emptyAndNullTextsHaveNoLines() {
    assertEquals(List.of(), LineDiff.of(null, ""));
    assertEquals(List.of(new Line(Kind.ADDED, "Answer with JSON.", null, 1)), LineDiff.of("", "Answer with JSON."));
    assertEquals(List.of(new Line(Kind.REMOVED, "Answer with JSON.", 1, null)), LineDiff.of("Answer with JSON.", null));
  }

  @Test
  void lineBreaksOfEveryKindSplitLinesAndATrailingBreakIsAnEmptyLastLine() {
    assertEquals(List.of("a", "b", "c", ""), LineDiff.lines("a\r\nb\rc\n"));
    assertTrue(LineDiff.same(LineDiff.of("a\r\nb", "a\nb")), "the same lines, whatever breaks them");
  }

  @Test
  void unicodeLinesCompareByTheirText() {
    List<Line> diff = LineDiff.of("Responde en español.\n答えて", "Responde en español.\n答えてください");
    assertEquals(" Responde en español.\n-答えて\n+答えてください", unified(diff));
  }

  @Test
  void textsTooLargeToCompareCellByCellStillGiveACorrectCoarseDiff() {
    int lines = (int) Math.sqrt(LineDiff.MAX_CELLS) + 10;
    String before = "head\n" + IntStream.range(0, lines).mapToObj(i -> "old " + i).collect(Collectors.joining("\n"))
      + "\ntail";
    String after = "head\n" + IntStream.range(0, lines).mapToObj(i -> "new " + i).collect(Collectors.joining("\n"))
      + "\ntail";
    List<Line> diff = LineDiff.of(before, after);
    assertEquals(new Line(Kind.SAME, "head", 1, 1), diff.get(0));
    assertEquals(new Line(Kind.SAME, "tail", lines + 2, lines + 2), diff.get(diff.size() - 1));
    assertEquals(new Line(Kind.REMOVED, "old 0", 2, null), diff.get(1));
    assertEquals(new Line(Kind.ADDED, "new 0", null, 2), diff.get(lines + 1));
    rebuildsBothSides(before, after, diff);
  }

  @Test
  void randomEditsAlwaysRebuildBothSides() {
    java.util.Random random = new java.util.Random(7);
    for (int round = 0; round < 200; round++) {
      String before = IntStream.range(0, random.nextInt(12)).mapToObj(i -> String.valueOf((char) ('a' + random.nextInt(4))))
        .collect(Collectors.joining("\n"));
      String after = IntStream.range(0, random.nextInt(12)).mapToObj(i -> String.valueOf((char) ('a' + random.nextInt(4))))
        .collect(Collectors.joining("\n"));
      rebuildsBothSides(before, after, LineDiff.of(before, after));
    }
  }
}
