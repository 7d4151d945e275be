package dev.promptlab.textopt.meta;

import java.util.Objects;

/**
 * The two texts a prompt version is made of, as the meta-model sees them.
 *
 * @param systemPrompt the system message
 * @param outputPrompt the instructions about the answer's form (may be empty)
 */
public record PromptState(String systemPrompt, String outputPrompt) {

  public PromptState {
    Objects.requireNonNull(systemPrompt, "systemPrompt");
    Objects.requireNonNull(outputPrompt, "outputPrompt");
  }

  /** Both texts as one, the way the task model reads them one after the other. */
  public String text() {
    return outputPrompt.isEmpty() ? systemPrompt : systemPrompt + "\n" + outputPrompt;
  }
}
