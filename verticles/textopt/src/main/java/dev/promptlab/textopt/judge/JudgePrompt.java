package dev.promptlab.textopt.judge;

import dev.promptlab.llm.ChatMessage;
import dev.promptlab.llm.ChatRequest;
import dev.promptlab.llm.ResponseFormat;
import dev.promptlab.textopt.run.ModelConversation;
import dev.promptlab.textopt.run.PackagedText;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request to the judge model and the reading of its answer. The instructions are the repository's
 * {@code prompts/textopt-judge-prompt.txt} (packaged as {@value #PACKAGED}), the system message; the rubric, the
 * scale, the row's input and expected answer and the task model's answer are one JSON object in the user message, so
 * nothing a row or an answer says can pass for the instructions. The answer must be {@code {"score", "reason"}} under
 * a strict {@code json_schema} response format.
 */
public final class JudgePrompt {

  public static final String PACKAGED = "textopt-prompts/textopt-judge-prompt.txt";
  /** A reason is shown with the failures and to the optimizer model: a sentence or two, not an essay. */
  public static final int MAX_REASON_CHARS = 1_000;

  /** A judge answer that is not a verdict on the scale; the message says why, for the model and the log. */
  public static final class Malformed extends Exception {
    public Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** A judge's reading of one answer. */
  public record Verdict(int score, String reason) {
  }

  private final ModelConversation conversation;

  public JudgePrompt(String instructions) {
    this.conversation = new ModelConversation(instructions, "judge prompt");
  }

  /** The judge prompt packaged with this module. */
  public static JudgePrompt packaged() {
    return new JudgePrompt(PackagedText.read(PACKAGED));
  }

  /**
   * The request that asks for a verdict on {@code answer}, at temperature 0 (the cache keys on the request, and a
   * judgement should be a function of what is judged).
   *
   * @param refusals earlier answers to this request that were refused, each with its reason, oldest first: a retry
   *     is a new request, so the response cache does not hand back the same malformed answer
   */
  public ChatRequest request(JudgeRubric rubric, String input, String expected, String answer,
                             List<Map.Entry<String, String>> refusals) {
    JsonObject facts = new JsonObject().put("rubric", rubric.rubric())
      .put("scale", new JsonObject().put("lowest", rubric.lowest()).put("highest", rubric.highest()))
      .put("input", input).put("expected", expected).put("answer", answer);
    List<ChatMessage> messages = conversation.messages(facts, refusals, "Answer again with one JSON object {\"score\":"
      + " a whole number from " + rubric.lowest() + " to " + rubric.highest() + ", \"reason\": one or two sentences},"
      + " and nothing else.");
    return new ChatRequest(messages, 0.0, null, null, ResponseFormat.jsonSchema("judgement", schema(rubric), true));
  }

  /** The verdict's JSON Schema, the scale's bounds included, so a server that enforces it cannot leave the scale. */
  static JsonObject schema(JudgeRubric rubric) {
    return new JsonObject().put("type", "object")
      .put("properties", new JsonObject()
        .put("score", new JsonObject().put("type", "integer").put("minimum", rubric.lowest())
          .put("maximum", rubric.highest()))
        .put("reason", new JsonObject().put("type", "string")))
      .put("required", new JsonArray().add("score").add("reason"))
      .put("additionalProperties", false);
  }

  /**
   * Reads a judge's answer.
   *
   * @throws Malformed when it is not one JSON object with a whole {@code score} on the scale and a {@code reason}
   */
  public Verdict read(String content, JudgeRubric rubric) throws Malformed {
    JsonObject verdict;
    try {
      verdict = new JsonObject(content.strip());
    } catch (DecodeException | ClassCastException e) {
      throw new Malformed("it is not one JSON object");
    }
    Set<String> extra = new java.util.TreeSet<>(verdict.fieldNames());
    extra.removeAll(Set.of("score", "reason"));
    if (!extra.isEmpty()) {
      throw new Malformed("it has fields other than score and reason: " + String.join(", ", extra));
    }
    Object score = verdict.getValue("score");
    if (!(score instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new Malformed("score must be a whole number, got " + score);
    }
    if (n.doubleValue() < rubric.lowest() || n.doubleValue() > rubric.highest()) {
      throw new Malformed("score " + n + " is off the scale " + rubric.lowest() + " to " + rubric.highest());
    }
    Object reason = verdict.getValue("reason");
    if (!(reason instanceof String text) || text.isBlank()) {
      throw new Malformed("reason must be a sentence saying why");
    }
    String kept = text.strip();
    return new Verdict(n.intValue(), kept.length() <= MAX_REASON_CHARS ? kept
      : kept.substring(0, MAX_REASON_CHARS - 1) + "…");
  }
}
