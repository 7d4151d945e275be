package dev.promptlab.textopt.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Which training rows the incumbent answers in an iteration so its failures can be shown to the optimizer model:
 * {@code size} rows in dataset order, the window moving on by {@code size} each iteration (wrapping round), so
 * successive rewrites see different failures while a resumed iteration sees the same rows.
 */
public final class TrainingWindow {

  private TrainingWindow() {
  }

  public static List<RunRow> of(List<RunRow> trainingRows, int iteration, int size) {
    if (trainingRows.size() <= size) {
      return List.copyOf(trainingRows);
    }
    int start = (int) (((long) (iteration - 1) * size) % trainingRows.size());
    List<RunRow> window = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      window.add(trainingRows.get((start + i) % trainingRows.size()));
    }
    return window;
  }
}
