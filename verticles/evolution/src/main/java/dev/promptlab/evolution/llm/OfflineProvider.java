package dev.promptlab.evolution.llm;

import io.vertx.core.Future;

/** The default provider: the deterministic {@link OfflinePromptRewriter} rules, so evolution works with no network. */
public final class OfflineProvider implements PromptEvolutionProvider {

  private final OfflinePromptRewriter rewriter = new OfflinePromptRewriter();

  @Override
  public String name() {
    return "offline";
  }

  @Override
  public String model() {
    return null;
  }

  @Override
  public Future<String> propose(EvolutionRequest request) {
    return Future.succeededFuture(rewriter.rewrite(request));
  }
}
