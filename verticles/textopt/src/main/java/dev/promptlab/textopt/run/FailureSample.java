package dev.promptlab.textopt.run;

import dev.promptlab.contract.TextRunFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The failures shown to the optimizer model: the answered rows that scored below 1, worst first (ties in row order),
 * at most {@code limit}.
 */
public final class FailureSample {

  private FailureSample() {
  }

  public static List<TextRunFailure> worst(List<RunRow> rows, Map<Integer, StoredAnswer> answers, int limit) {
    List<TextRunFailure> failures = new ArrayList<>();
    rows.stream()
      .filter(row -> answers.containsKey(row.ordinal()) && answers.get(row.ordinal()).score() < 1.0)
      .sorted(Comparator.comparingDouble((RunRow row) -> answers.get(row.ordinal()).score())
        .thenComparingInt(RunRow::ordinal))
      .limit(limit)
      .forEach(row -> {
        StoredAnswer answer = answers.get(row.ordinal());
        failures.add(new TextRunFailure(row.id(), row.input(), row.expected(), answer.answer(), answer.score(),
          answer.explanation()));
      });
    return failures;
  }
}
