package dev.promptlab.llm;

/**
 * The tokens a call used, as the server reported them in {@code usage}. {@code cachedPromptTokens} is the part of
 * the prompt the provider served from its own prompt cache ({@code prompt_tokens_details.cached_tokens}, billed
 * lower by some providers), 0 when not reported. A server that reports no usage gives {@link #NOT_REPORTED}.
 */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens, boolean reported) {

  /** The server's answer had no {@code usage}: tokens and cost of the call are unknown and counted as 0. */
  public static final Usage NOT_REPORTED = new Usage(0, 0, 0, false);

  public Usage {
    if (promptTokens < 0 || completionTokens < 0 || cachedPromptTokens < 0 || cachedPromptTokens > promptTokens) {
      throw new IllegalArgumentException("token counts must be non-negative, with the cached prompt tokens part of"
        + " the prompt tokens: " + promptTokens + ", " + completionTokens + ", " + cachedPromptTokens);
    }
  }

  public static Usage of(int promptTokens, int completionTokens) {
    return new Usage(promptTokens, completionTokens, 0, true);
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
