package dev.promptlab.llm;

import io.vertx.core.Future;

/**
 * Asks a chat model for completions. Calls never block: the future completes with the answer, or fails with a
 * {@link ChatFailure}.
 */
public interface ChatClient extends AutoCloseable {

  /** The endpoint this client calls. */
  ChatEndpoint endpoint();

  Future<ChatResponse> chat(ChatRequest request);

  /** Fails the calls in flight and waiting with {@link ChatFailure.Kind#CLOSED}; later calls fail at once. */
  @Override
  void close();
}
