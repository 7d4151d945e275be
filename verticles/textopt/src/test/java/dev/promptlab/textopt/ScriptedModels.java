package dev.promptlab.textopt;

import dev.promptlab.testkit.FakeChatCompletions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task model, an optimizer model and a judge model on one {@link FakeChatCompletions}, told apart by the model the
 * request names.
 *
 * <p>The task model follows its system prompt: a prompt saying {@code level=L} answers row {@code item i} correctly
 * ({@code answer i}) when {@code i % 10 < L}, and wrongly otherwise, so a prompt with a higher level really scores
 * better. The optimizer model's answer is the test's function of the current prompt it is shown. The judge grades by
 * the rubric it is sent ({@link #judgement}).
 */
final class ScriptedModels implements AutoCloseable {

  static final String TASK = "task-model";
  static final String OPTIMIZER = "optimizer-model";
  static final String JUDGE = "judge-model";
  /** The rubric {@link #judgement} grades by. */
  static final String RUBRIC = "Full marks when the answer states the expected answer; the lowest score when it does"
    + " not.";
  private static final Pattern LEVEL = Pattern.compile("level=(\\d+)");
  private static final Pattern ITEM = Pattern.compile("item (\\d+)");

  final FakeChatCompletions fake = new FakeChatCompletions(null);
  private volatile Function<JsonObject, FakeChatCompletions.Answer> task = body ->
    FakeChatCompletions.completion(answerOf(system(body), user(body)));
  private volatile Function<String, String> optimizer = current -> proposal(levelOf(current) + 1);
  private volatile Function<JsonObject, FakeChatCompletions.Answer> judge = body ->
    FakeChatCompletions.completion(judgement(new JsonObject(user(body))));

  ScriptedModels() {
    fake.otherwise((request, body) -> (switch (body.getString("model")) {
      case TASK -> task.apply(body);
      case JUDGE -> judge.apply(body);
      default -> FakeChatCompletions.completion(optimizer.apply(current(body)));
    }).send(request, body));
  }

  /** How the judge model answers instead of grading by the rubric (malformed verdicts, failures). */
  ScriptedModels judge(Function<JsonObject, FakeChatCompletions.Answer> answer) {
    judge = answer;
    return this;
  }

  /**
   * A judge's verdict on the facts of a judge request ({@code rubric}, {@code scale}, {@code expected},
   * {@code answer}): under {@link #RUBRIC}, the scale's highest score when the answer states the expected answer
   * and its lowest otherwise; any other rubric gets the lowest score, so a judge not sent the run's rubric is seen.
   */
  static String judgement(JsonObject facts) {
    JsonObject scale = facts.getJsonObject("scale");
    boolean states = RUBRIC.equals(facts.getString("rubric"))
      && facts.getString("answer").contains(facts.getString("expected"));
    return new JsonObject().put("score", states ? scale.getInteger("highest") : scale.getInteger("lowest"))
      .put("reason", states ? "It states the expected answer." : "It does not state " + facts.getString("expected")
        + ".").encode();
  }

  /** How the task model answers instead of following its prompt (failures, held requests). */
  ScriptedModels task(Function<JsonObject, FakeChatCompletions.Answer> answer) {
    task = answer;
    return this;
  }

  /** The optimizer model's answer as a function of the current system prompt it is shown. */
  ScriptedModels optimizer(Function<String, String> answer) {
    optimizer = answer;
    return this;
  }

  /** The answer that follows the prompt's level. */
  static String answerOf(String system, String input) {
    Matcher item = ITEM.matcher(input);
    int i = item.find() ? Integer.parseInt(item.group(1)) : -1;
    return i >= 0 && i % 10 < levelOf(system) ? "answer " + i : "no idea";
  }

  static int levelOf(String prompt) {
    Matcher level = LEVEL.matcher(prompt);
    return level.find() ? Integer.parseInt(level.group(1)) : 0;
  }

  /** An optimizer answer proposing prompts at these levels. */
  static String proposal(int... levels) {
    JsonArray candidates = new JsonArray();
    for (int level : levels) {
      candidates.add(new JsonObject().put("system_prompt", "Answer the item. level=" + level)
        .put("output_prompt", "Write the answer only.").put("rationale", "raise the level to " + level));
    }
    return new JsonObject().put("candidates", candidates).encode();
  }

  static String system(JsonObject body) {
    return body.getJsonArray("messages").getJsonObject(0).getString("content");
  }

  static String user(JsonObject body) {
    return body.getJsonArray("messages").getJsonObject(1).getString("content");
  }

  /** The current system prompt an optimizer request shows. */
  private static String current(JsonObject body) {
    return new JsonObject(user(body)).getJsonObject("current").getString("system_prompt");
  }

  List<JsonObject> requests(String model) {
    return fake.received.stream().map(FakeChatCompletions.Received::body)
      .filter(body -> body != null && model.equals(body.getString("model"))).toList();
  }

  JsonObject endpoint(String model) {
    return new JsonObject().put("base_url", fake.baseUrl()).put("model", model).put("max_attempts", 1)
      .put("max_concurrent", 2);
  }

  @Override
  public void close() {
    fake.close();
  }
}
