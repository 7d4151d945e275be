package dev.promptlab.textopt.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promptlab.contract.TextRunFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureSampleTest {

  private static RunRow row(int ordinal) {
    return new RunRow(ordinal, "r" + ordinal, "in " + ordinal, "out " + ordinal, false);
  }

  @Test
  void worstFirstTiesInRowOrderPerfectRowsLeftOut() {
    List<RunRow> rows = List.of(row(1), row(2), row(3), row(4), row(5));
    Map<Integer, StoredAnswer> answers = Map.of(
      1, new StoredAnswer(1, "a", 0.5, null), 2, new StoredAnswer(2, "b", 1.0, null),
      3, new StoredAnswer(3, "c", 0.0, "why"), 4, new StoredAnswer(4, "d", 0.5, null));
    List<TextRunFailure> worst = FailureSample.worst(rows, answers, 2);
    assertEquals(List.of("r3", "r1"), worst.stream().map(TextRunFailure::rowId).toList());
    assertEquals(new TextRunFailure("r3", "in 3", "out 3", "c", 0.0, "why"), worst.get(0), "with the metric's word");
    assertEquals(new TextRunFailure("r1", "in 1", "out 1", "a", 0.5), worst.get(1));
    assertEquals(3, FailureSample.worst(rows, answers, 10).size());
  }

  @Test
  void theTrainingWindowMovesOnEachIterationAndWraps() {
    List<RunRow> rows = List.of(row(1), row(2), row(3), row(4), row(5));
    assertEquals(List.of(1, 2), TrainingWindow.of(rows, 1, 2).stream().map(RunRow::ordinal).toList());
    assertEquals(List.of(3, 4), TrainingWindow.of(rows, 2, 2).stream().map(RunRow::ordinal).toList());
    assertEquals(List.of(5, 1), TrainingWindow.of(rows, 3, 2).stream().map(RunRow::ordinal).toList());
    assertEquals(5, TrainingWindow.of(rows, 7, 9).size());
  }
}
