package dev.promptlab.textopt.run;

import dev.promptlab.llm.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * What a prompt version tells the task model: a {@code systemPrompt} (the task) and an {@code outputPrompt} (how to
 * write the answer, may be empty). The task model receives both as its system message and the row's input as the
 * user message, so the answer depends on nothing but the prompt state and the input.
 */
public record PromptState(String systemPrompt, String outputPrompt) {

  public PromptState {
    Objects.requireNonNull(systemPrompt, "systemPrompt");
    Objects.requireNonNull(outputPrompt, "outputPrompt");
  }

  /** The messages that ask the task model to answer {@code input}. */
  public List<ChatMessage> messages(String input) {
    String system = outputPrompt.isBlank() ? systemPrompt : systemPrompt + "\n\n" + outputPrompt;
    return List.of(ChatMessage.system(system), ChatMessage.user(input));
  }
}
