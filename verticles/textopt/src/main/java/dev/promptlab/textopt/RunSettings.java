package dev.promptlab.textopt;

import dev.promptlab.llm.ChatEndpoint;
import dev.promptlab.textopt.meta.MetaModelSettings;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * How runs are carried out (keys of the {@code textopt} section; the README lists them).
 *
 * @param taskModel the endpoint that answers dataset rows, or null when none is configured
 * @param optimizerModel the endpoint that proposes prompts, or null when none is configured
 * @param judgeModel the endpoint that scores answers for runs by {@code llm_judge}, or null when none is configured
 * @param judgeAttempts judge answers asked for one row before a row whose answers were all refused scores as a
 *     failed judgement
 * @param maxParallelRuns runs carried out at once; others wait in the queue
 * @param metaModel evaluate candidates in the candidate ordering's order and stop at the first that wins
 * @param metaModelMinHistory the fewest evaluated past candidates the meta-model learns from (it keeps the
 *     optimizer model's order with fewer)
 * @param metaModelMaxHistory the most, the latest ones
 * @param stepAttempts how often a step that failed (a model call that failed after the client's own retries, a
 *     database error) is tried again before the run fails
 * @param stepRetryDelayMs the wait before a step is tried again
 * @param proposalAttempts how often the optimizer model is asked again after an answer was refused
 * @param trainingRowsPerIteration training rows the incumbent answers per iteration to find failures
 * @param failuresShown failures shown to the optimizer model per iteration
 * @param optimizerTemperature the optimizer model's sampling temperature (the task model answers at 0)
 * @param scoreThreads worker threads that score answers (some metrics take time in the answers' length)
 */
record RunSettings(ChatEndpoint taskModel, ChatEndpoint optimizerModel, ChatEndpoint judgeModel, int maxParallelRuns,
                   boolean metaModel, int metaModelMinHistory, int metaModelMaxHistory, int stepAttempts,
                   long stepRetryDelayMs, int proposalAttempts, int judgeAttempts, int trainingRowsPerIteration,
                   int failuresShown, double optimizerTemperature, int scoreThreads) {

  static final String TASK_MODEL = "task_model";
  static final String OPTIMIZER_MODEL = "optimizer_model";
  static final String JUDGE_MODEL = "judge_model";

  static RunSettings from(JsonObject json, Function<String, String> environment) {
    Object temperature = json.getValue("optimizer_temperature", 0.7);
    if (!(temperature instanceof Number t) || !(t.doubleValue() >= 0 && t.doubleValue() <= 2)) {
      throw new IllegalArgumentException("textopt config: optimizer_temperature must be a number from 0 to 2");
    }
    Object meta = json.getValue("meta_model", false);
    if (!(meta instanceof Boolean metaModel)) {
      throw new IllegalArgumentException("textopt config: meta_model must be true or false");
    }
    int minHistory = whole(json, "meta_model_min_history", MetaModelSettings.DEFAULT_MIN_HISTORY, 2, 100_000);
    int maxHistory = whole(json, "meta_model_max_history", Math.max(minHistory,
      MetaModelSettings.DEFAULT_MAX_HISTORY), 2, 100_000);
    if (maxHistory < minHistory) {
      throw new IllegalArgumentException("textopt config: meta_model_max_history (" + maxHistory
        + ") must not be below meta_model_min_history (" + minHistory + ")");
    }
    return new RunSettings(endpoint(json, TASK_MODEL, "task", environment),
      endpoint(json, OPTIMIZER_MODEL, "optimizer", environment), endpoint(json, JUDGE_MODEL, "judge", environment),
      whole(json, "max_parallel_runs", 1, 1, 64), metaModel, minHistory, maxHistory,
      whole(json, "step_attempts", 3, 1, 20), whole(json, "step_retry_delay_ms", 1000, 0, 600_000),
      whole(json, "proposal_attempts", 3, 1, 10), whole(json, "judge_attempts", 3, 1, 10),
      whole(json, "training_rows_per_iteration", 20, 1, 10_000), whole(json, "failures_shown", 5, 1, 100), t.doubleValue(), whole(json, "score_threads", 2, 1, 64));
  }

  /** Null when the section is absent: runs then answer that no model is configured. */
  private static ChatEndpoint endpoint(JsonObject json, String key, String name,
                                       Function<String, String> environment) {
    Object section = json.getValue(key);
    if (section == null) {
      return null;
    }
    if (!(section instanceof JsonObject config)) {
      throw new IllegalArgumentException("textopt config: " + key + " must be an object (base_url, model, key_env,"
        + " ...)");
    }
    try {
      return ChatEndpoint.fromConfig(name, config, environment);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("textopt config: " + key + ": " + e.getMessage(), e);
    }
  }

  private static int whole(JsonObject json, String key, int fallback, int min, int max) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < min || n.intValue() > max) {
      throw new IllegalArgumentException("textopt config: " + key + " must be a whole number from " + min + " to "
        + max);
    }
    return n.intValue();
  }

  /** Why no run can start, naming the keys to set, or null when both models are configured. */
  String missingModels() {
    if (taskModel != null && optimizerModel != null) {
      return null;
    }
    String missing = taskModel == null && optimizerModel == null ? "no task model and no optimizer model are"
      : taskModel == null ? "no task model is" : "no optimizer model is";
    return missing + " configured: set textopt." + TASK_MODEL + " and textopt." + OPTIMIZER_MODEL
      + " (each with base_url, model and, for a server that needs a key, key_env naming the environment variable"
      + " that holds it), in the configuration file or as PROMPTLAB__TEXTOPT__TASK_MODEL__BASE_URL,"
      + " PROMPTLAB__TEXTOPT__TASK_MODEL__MODEL and the same for OPTIMIZER_MODEL";
  }

  /** Why a run scored by a judge model cannot start, naming the key to set, or null when one is configured. */
  String missingJudge() {
    return judgeModel != null ? null : "no judge model is configured, and the llm_judge metric needs one: set textopt."
      + JUDGE_MODEL + " (base_url, model and, for a server that needs a key, key_env; the same keys as textopt."
      + TASK_MODEL + "), in the configuration file or as PROMPTLAB__TEXTOPT__JUDGE_MODEL__BASE_URL and"
      + " PROMPTLAB__TEXTOPT__JUDGE_MODEL__MODEL";
  }
}
