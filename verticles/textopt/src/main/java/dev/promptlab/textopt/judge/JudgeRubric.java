package dev.promptlab.textopt.judge;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a judge model grades by: the run's rubric and the scale of its scores, from the run's {@code metric_options}
 * ({@code rubric}, required; {@code scale}, two whole numbers {@code [lowest, highest]}, default {@code [1, 5]}).
 *
 * @param rubric what a good answer is, in the words of the person who asked for the run
 * @param lowest the worst score on the scale (normalised to 0)
 * @param highest the best score on the scale (normalised to 1)
 */
public record JudgeRubric(String rubric, int lowest, int highest) {

  /** The name a run gives to be scored by a judge model. */
  public static final String METRIC = "llm_judge";
  /** Long enough for a detailed rubric, short enough that it cannot crowd the row out of the judge's context. */
  public static final int MAX_RUBRIC_CHARS = 5_000;
  /** A scale wider than this has no more meaning to a model than a hundred points. */
  public static final int MAX_SPAN = 100;

  public JudgeRubric {
    if (rubric == null || rubric.isBlank()) {
      throw new IllegalArgumentException("metric_options.rubric is required for llm_judge: say what a good answer is");
    }
    if (rubric.length() > MAX_RUBRIC_CHARS) {
      throw new IllegalArgumentException("metric_options.rubric has " + rubric.length() + " characters; at most "
        + MAX_RUBRIC_CHARS);
    }
    if (lowest >= highest || highest - lowest > MAX_SPAN) {
      throw new IllegalArgumentException("metric_options.scale must go up from its lowest to its highest score by at"
        + " most " + MAX_SPAN + ", got [" + lowest + ", " + highest + "]");
    }
    rubric = rubric.strip();
  }

  /**
   * The rubric of a run's options.
   *
   * @throws IllegalArgumentException with a sentence for the person who made the request
   */
  public static JudgeRubric of(JsonObject options) {
    Object rubric = options.getValue("rubric");
    if (rubric != null && !(rubric instanceof String)) {
      throw new IllegalArgumentException("metric_options.rubric must be a string");
    }
    Object scale = options.getValue("scale");
    if (scale == null) {
      return new JudgeRubric((String) rubric, 1, 5);
    }
    if (!(scale instanceof JsonArray pair) || pair.size() != 2 || !whole(pair.getValue(0))
      || !whole(pair.getValue(1))) {
      throw new IllegalArgumentException("metric_options.scale must be two whole numbers [lowest, highest], such as"
        + " [1, 5]");
    }
    return new JudgeRubric((String) rubric, ((Number) pair.getValue(0)).intValue(),
      ((Number) pair.getValue(1)).intValue());
  }

  private static boolean whole(Object value) {
    return value instanceof Number n && n.doubleValue() == n.intValue()
      && Math.abs(n.doubleValue()) <= 1_000_000;
  }

  /** A score on the scale as a value in [0, 1]. */
  public double normalised(int score) {
    if (score < lowest || score > highest) {
      throw new IllegalArgumentException("score " + score + " is off the scale [" + lowest + ", " + highest + "]");
    }
    return (double) (score - lowest) / (highest - lowest);
  }
}
