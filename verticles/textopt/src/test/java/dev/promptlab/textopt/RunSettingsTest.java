package dev.promptlab.textopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSettingsTest {

  private static final JsonObject LOCAL = new JsonObject().put("base_url", "http://127.0.0.1:8081/v1")
    .put("model", "qwen");

  private static RunSettings read(JsonObject config, Map<String, String> environment) {
    return RunSettings.from(config, environment::get);
  }

  @Test
  void withoutModelsEverythingElseHasItsDefaultAndRunsSayWhatToSet() {
    RunSettings settings = read(new JsonObject(), Map.of());
    assertNull(settings.taskModel());
    assertEquals(1, settings.maxParallelRuns());
    assertFalse(settings.metaModel());
    assertEquals(3, settings.stepAttempts());
    assertEquals(3, settings.proposalAttempts());
    assertTrue(settings.missingModels().startsWith("no task model and no optimizer model are configured: set"
      + " textopt.task_model and textopt.optimizer_model"), settings.missingModels());
    assertTrue(read(new JsonObject().put("task_model", LOCAL), Map.of()).missingModels()
      .startsWith("no optimizer model is configured"));
  }

  @Test
  void theKeyComesFromTheVariableKeyEnvNames() {
    RunSettings settings = read(new JsonObject().put("task_model", LOCAL.copy().put("key_env", "TASK_KEY"))
      .put("optimizer_model", LOCAL), Map.of("TASK_KEY", "sk-task"));
    assertEquals("sk-task", settings.taskModel().apiKey());
    assertNull(settings.optimizerModel().apiKey());
    assertNull(settings.missingModels());
  }

  @Test
  void valuesThatCannotWorkRefuseTheDeployWithTheKey() {
    assertRefused(new JsonObject().put("task_model", LOCAL.copy().put("key_env", "UNSET_KEY")),
      "textopt config: task_model: task.key_env names UNSET_KEY, which is not set");
    assertRefused(new JsonObject().put("task_model", LOCAL.copy().put("api_key", "sk-x")),
      "keys come from the environment only");
    assertRefused(new JsonObject().put("task_model", "http://127.0.0.1:8081/v1"), "task_model must be an object");
    assertRefused(new JsonObject().put("meta_model", "yes"), "meta_model must be true or false");
    assertRefused(new JsonObject().put("max_parallel_runs", 0), "max_parallel_runs must be a whole number from 1");
    assertRefused(new JsonObject().put("optimizer_temperature", 3), "optimizer_temperature must be a number from 0");
  }

  @Test
  void theMetaModelLearnsFromTwentyToTwoThousandCandidatesByDefault() {
    RunSettings settings = read(new JsonObject(), Map.of());
    assertEquals(20, settings.metaModelMinHistory());
    assertEquals(2000, settings.metaModelMaxHistory());
    RunSettings on = read(new JsonObject().put("meta_model", true).put("meta_model_min_history", 5000), Map.of());
    assertTrue(on.metaModel());
    assertEquals(5000, on.metaModelMinHistory());
    assertEquals(5000, on.metaModelMaxHistory(), "the default upper bound rises to a larger lower bound");
    assertRefused(new JsonObject().put("meta_model_min_history", 1),
      "textopt config: meta_model_min_history must be a whole number from 2 to 100000");
    assertRefused(new JsonObject().put("meta_model_min_history", 30).put("meta_model_max_history", 10),
      "textopt config: meta_model_max_history (10) must not be below meta_model_min_history (30)");
  }

  @Test
  void theJudgeModelIsConfiguredApartAndItsAbsenceNamesTheKey() {
    RunSettings without = read(new JsonObject().put("task_model", LOCAL).put("optimizer_model", LOCAL), Map.of());
    assertNull(without.judgeModel());
    assertNull(without.missingModels(), "runs by the other metrics need no judge");
    assertEquals(3, without.judgeAttempts());
    assertTrue(without.missingJudge().startsWith("no judge model is configured, and the llm_judge metric needs one:"
      + " set textopt.judge_model"), without.missingJudge());
    RunSettings with = read(new JsonObject().put("judge_model", LOCAL.copy().put("model", "judge")
      .put("key_env", "JUDGE_KEY")).put("judge_attempts", 5), Map.of("JUDGE_KEY", "sk-judge"));
    assertEquals("judge", with.judgeModel().model());
    assertEquals("sk-judge", with.judgeModel().apiKey());
    assertEquals(5, with.judgeAttempts());
    assertNull(with.missingJudge());
    assertRefused(new JsonObject().put("judge_model", "gpt-4o-mini"), "judge_model must be an object");
    assertRefused(new JsonObject().put("judge_model", LOCAL.copy().put("key_env", "UNSET_KEY")),
      "textopt config: judge_model: judge.key_env names UNSET_KEY, which is not set");
    assertRefused(new JsonObject().put("judge_attempts", 0), "judge_attempts must be a whole number from 1 to 10");
  }

  private static void assertRefused(JsonObject config, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(config, Map.of()));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
