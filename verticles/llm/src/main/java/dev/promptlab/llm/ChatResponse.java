package dev.promptlab.llm;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A model's answer with its accounting.
 *
 * @param content       the assistant message's text
 * @param finishReason  why the model stopped ({@code stop}, {@code length} when cut at the token limit, ...), or
 *                      null when the server did not say
 * @param model         the model that answered, as the server names it (may be more precise than the one asked)
 * @param usage         the tokens of the call that produced this answer
 * @param costUsd       what producing this answer cost, from {@code usage} and the endpoint's prices
 * @param attempts      HTTP attempts the call took (0 when the answer came from a cache)
 * @param cached        the answer was found in a response cache: this call cost nothing
 */
public record ChatResponse(String content, String finishReason, String model, Usage usage, BigDecimal costUsd,
                           int attempts, boolean cached) {

  public ChatResponse {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(costUsd, "costUsd");
  }

  /** What this call spent: its cost, or 0 when a cache answered. */
  public BigDecimal spentUsd() {
    return cached ? BigDecimal.ZERO : costUsd;
  }

  /** What this call saved: the cost of the stored answer when a cache answered, else 0. */
  public BigDecimal savedUsd() {
    return cached ? costUsd : BigDecimal.ZERO;
  }

  /** The same answer as a cache gives it back. */
  public ChatResponse fromCache() {
    return new ChatResponse(content, finishReason, model, usage, costUsd, 0, true);
  }

  /** True when the model stopped at the token limit, so the content is cut short. */
  public boolean truncated() {
    return "length".equals(finishReason);
  }
}
