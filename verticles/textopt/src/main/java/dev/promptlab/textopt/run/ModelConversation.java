package dev.promptlab.textopt.run;

import dev.promptlab.llm.ChatMessage;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the text loop talks to a model that must answer in a set form (the optimizer, the judge): its instructions as
 * the system message, the facts as one JSON object in the user message (so nothing a row or an answer says can pass
 * for the instructions), then each earlier answer that was refused, with the reason and a request to answer again.
 * A retry is therefore a new request: the response cache does not hand back the same refused answer.
 */
public final class ModelConversation {

  private final String instructions;

  /**
   * @param instructions the packaged prompt's text
   * @param name what the instructions are, for the refusal of an empty text
   */
  public ModelConversation(String instructions, String name) {
    if (instructions == null || instructions.isBlank()) {
      throw new IllegalArgumentException("the " + name + " is empty");
    }
    this.instructions = instructions.strip();
  }

  /**
   * The messages asking about {@code facts}.
   *
   * @param refusals earlier answers that were refused, each with its reason, oldest first
   * @param askAgain what to answer instead, said after each refusal's reason
   */
  public List<ChatMessage> messages(JsonObject facts, List<Map.Entry<String, String>> refusals, String askAgain) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system(instructions));
    messages.add(ChatMessage.user(facts.encodePrettily()));
    for (Map.Entry<String, String> refused : refusals) {
      messages.add(ChatMessage.assistant(refused.getKey()));
      messages.add(ChatMessage.user("That answer was refused: " + refused.getValue() + ". " + askAgain));
    }
    return messages;
  }
}
