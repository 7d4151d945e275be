package dev.promptlab.evolution.llm;

import io.vertx.core.Future;

/**
 * Proposes an improved prompt. The answer is the provider's raw text, expected to be the JSON object the
 * meta-prompt asks for; {@link ProposalGuard} checks it, whichever provider produced it. A provider that
 * cannot answer fails with {@link ProviderFailure}.
 */
public interface PromptEvolutionProvider {

  /** The provider's name as configured ({@code offline}, {@code openai}), stored with each evolution. */
  String name();

  /** The model used, or null when the provider has none. */
  String model();

  Future<String> propose(EvolutionRequest request);

  /** Releases clients and timers. */
  default void close() {
  }
}
