package dev.promptlab.textopt.run;

import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.llm.ChatMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The request to the optimizer model: the meta-prompt (the repository's {@code prompts/textopt-optimizer-prompt.txt},
 * packaged as {@value #PACKAGED}) as the system message, and the iteration's facts as one JSON object in the user
 * message, so nothing a dataset row says can be read as part of the instructions' layout.
 */
public final class MetaPrompt {

  public static final String PACKAGED = "textopt-prompts/textopt-optimizer-prompt.txt";

  private final ModelConversation conversation;

  public MetaPrompt(String instructions) {
    this.conversation = new ModelConversation(instructions, "optimizer meta-prompt");
  }

  /** The meta-prompt packaged with this module. */
  public static MetaPrompt packaged() {
    return new MetaPrompt(PackagedText.read(PACKAGED));
  }

  /**
   * The messages that ask for {@code wanted} candidates.
   *
   * @param explanations what the metric said of each failure, by row id (absent when it said nothing)
   * @param refusals earlier answers of this request that were refused, each with its reason, oldest first: the
   *     model sees them and why, so it is not asked the very same thing again
   */
  public List<ChatMessage> messages(String metric, double score, double target, PromptState current,
                                    List<TextRunFailure> failures, Map<String, String> explanations, int wanted,
                                    List<Map.Entry<String, String>> refusals) {
    JsonArray shown = new JsonArray();
    for (TextRunFailure failure : failures) {
      JsonObject row = new JsonObject().put("input", failure.input()).put("expected", failure.expected())
        .put("got", failure.got()).put("score", failure.score());
      String why = explanations.get(failure.rowId());
      if (why != null) {
        row.put("why", why);
      }
      shown.add(row);
    }
    JsonObject facts = new JsonObject().put("metric", metric).put("score", score).put("target", target)
      .put("current", new JsonObject().put("system_prompt", current.systemPrompt())
        .put("output_prompt", current.outputPrompt()))
      .put("failures", shown).put("candidates_wanted", wanted);
    return conversation.messages(facts, refusals, "Answer again with one JSON object {\"candidates\": [...]} of "
      + wanted + " new prompts, and nothing else.");
  }
}
